-- CreateEnum
CREATE TYPE "CalibrationStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ACCEPTED');

-- CreateTable
CREATE TABLE "CalibrationRun" (
    "id" UUID NOT NULL,
    "poolId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "status" "CalibrationStatus" NOT NULL DEFAULT 'QUEUED',
    "minResponses" INTEGER NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "items" JSONB,
    "persons" INTEGER,
    "iterations" INTEGER,
    "converged" BOOLEAN,
    "error" TEXT,
    "acceptedQuestionIds" UUID[] DEFAULT ARRAY[]::UUID[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "acceptedAt" TIMESTAMPTZ(3),
    "acceptedById" UUID,

    CONSTRAINT "CalibrationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CalibrationRun_poolId_createdAt_idx" ON "CalibrationRun"("poolId", "createdAt");

-- CreateIndex
CREATE INDEX "CalibrationRun_acceptedById_idx" ON "CalibrationRun"("acceptedById");

-- CreateIndex
CREATE UNIQUE INDEX "CalibrationRun_requestedById_idempotencyKey_key" ON "CalibrationRun"("requestedById", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "CalibrationRun" ADD CONSTRAINT "CalibrationRun_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "QuestionPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationRun" ADD CONSTRAINT "CalibrationRun_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationRun" ADD CONSTRAINT "CalibrationRun_acceptedById_fkey" FOREIGN KEY ("acceptedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Checks Prisma cannot express.
ALTER TABLE "CalibrationRun"
  ADD CONSTRAINT "CalibrationRun_minResponses_check" CHECK ("minResponses" >= 1),
  ADD CONSTRAINT "CalibrationRun_accepted_check" CHECK (("status" = 'ACCEPTED') = ("acceptedAt" IS NOT NULL)),
  ADD CONSTRAINT "CalibrationRun_items_check" CHECK ("items" IS NULL OR jsonb_typeof("items") = 'array');
