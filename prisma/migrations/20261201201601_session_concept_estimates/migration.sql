-- AlterTable
ALTER TABLE "AdaptiveTestSession" ADD COLUMN     "conceptEstimates" JSONB;
