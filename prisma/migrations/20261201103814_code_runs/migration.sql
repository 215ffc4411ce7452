-- CreateEnum
CREATE TYPE "CodeRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "CodeRun" (
    "id" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "language" "Language" NOT NULL,
    "code" TEXT NOT NULL,
    "args" JSONB,
    "status" "CodeRunStatus" NOT NULL DEFAULT 'QUEUED',
    "calls" JSONB NOT NULL DEFAULT '[]',
    "failureReason" TEXT,
    "leaseOwner" TEXT,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CodeRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CodeRun_attemptId_createdAt_idx" ON "CodeRun"("attemptId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CodeRun_attemptId_number_key" ON "CodeRun"("attemptId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "CodeRun_userId_idempotencyKey_key" ON "CodeRun"("userId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "CodeRun" ADD CONSTRAINT "CodeRun_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeRun" ADD CONSTRAINT "CodeRun_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
