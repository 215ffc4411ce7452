-- AlterEnum
ALTER TYPE "TestVerdict" ADD VALUE 'NOT_RUN';
