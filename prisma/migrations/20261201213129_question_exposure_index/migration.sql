-- DropIndex
DROP INDEX "Question_poolId_status_idx";

-- CreateIndex
CREATE INDEX "Question_poolId_status_administered_idx" ON "Question"("poolId", "status", "administered");
