-- AlterTable
ALTER TABLE "Question" ADD COLUMN     "administered" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "QuestionPool" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sessionCount" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "AdaptiveTestSession_currentQuestionId_idx" ON "AdaptiveTestSession"("currentQuestionId");

-- AddForeignKey
ALTER TABLE "AdaptiveTestSession" ADD CONSTRAINT "AdaptiveTestSession_currentQuestionId_fkey" FOREIGN KEY ("currentQuestionId") REFERENCES "Question"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill the exposure counts from what is stored: a question was administered once per
-- response to it, and once more per session asking it now.
UPDATE "Question" q SET "administered" =
  (SELECT count(*) FROM "TestResponse" r WHERE r."questionId" = q."id")
  + (SELECT count(*) FROM "AdaptiveTestSession" s WHERE s."currentQuestionId" = q."id");
UPDATE "QuestionPool" p SET "sessionCount" =
  (SELECT count(*) FROM "AdaptiveTestSession" s WHERE s."poolId" = p."id");
