-- AlterTable
ALTER TABLE "SocraticTurn" ADD COLUMN     "idempotencyKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "SocraticTurn_userId_idempotencyKey_key" ON "SocraticTurn"("userId", "idempotencyKey");
