-- DropIndex
DROP INDEX "EvaluationRun_status_leaseExpiresAt_idx";

-- AlterTable
ALTER TABLE "EvaluationRun" DROP COLUMN "leaseExpiresAt";
