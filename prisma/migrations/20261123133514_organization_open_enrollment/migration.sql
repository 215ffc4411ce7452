-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "openEnrollment" BOOLEAN NOT NULL DEFAULT false;
