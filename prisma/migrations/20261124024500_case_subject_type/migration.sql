-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "subjectType" TEXT NOT NULL DEFAULT 'enterprise';

