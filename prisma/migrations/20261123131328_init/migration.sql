-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('STUDENT', 'INSTRUCTOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "ClassRole" AS ENUM ('STUDENT', 'INSTRUCTOR');

-- CreateEnum
CREATE TYPE "TestVisibility" AS ENUM ('PASS_FAIL_ONLY', 'VERDICT_DETAILS');

-- CreateEnum
CREATE TYPE "Track" AS ENUM ('CODING_INTERVIEW', 'DEBUG_LAB', 'SYSTEM_DESIGN');

-- CreateEnum
CREATE TYPE "Difficulty" AS ENUM ('EASY', 'MEDIUM', 'HARD');

-- CreateEnum
CREATE TYPE "ContentVersionStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "AttemptStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'ABANDONED');

-- CreateEnum
CREATE TYPE "Language" AS ENUM ('JAVASCRIPT', 'TYPESCRIPT', 'PYTHON');

-- CreateEnum
CREATE TYPE "EvaluationKind" AS ENUM ('CODING_TESTS', 'RUBRIC', 'DEBUG_DIAGNOSTICS');

-- CreateEnum
CREATE TYPE "EvaluationStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED');

-- CreateEnum
CREATE TYPE "TestVerdict" AS ENUM ('PASSED', 'FAILED', 'TIME_LIMIT', 'MEMORY_LIMIT', 'RUNTIME_ERROR', 'OUTPUT_LIMIT', 'COMPILE_ERROR');

-- CreateEnum
CREATE TYPE "TurnRole" AS ENUM ('STUDENT', 'COACH');

-- CreateEnum
CREATE TYPE "CoachAction" AS ENUM ('ASK_QUESTION', 'GIVE_HINT', 'NEEDS_MORE_INFO', 'REFUSE');

-- CreateEnum
CREATE TYPE "TurnStatus" AS ENUM ('STREAMING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "LlmPurpose" AS ENUM ('COACH', 'RUBRIC');

-- CreateEnum
CREATE TYPE "ProgressStatus" AS ENUM ('NOT_STARTED', 'IN_PROGRESS', 'SOLVED');

-- CreateEnum
CREATE TYPE "PointsReason" AS ENUM ('SOLVE', 'TIME_BONUS', 'PARTIAL_CREDIT', 'ADJUSTMENT');

-- CreateEnum
CREATE TYPE "BadgeCriterion" AS ENUM ('POINTS', 'SOLVED_COUNT', 'STREAK_DAYS');

-- CreateTable
CREATE TABLE "Organization" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "coachPolicy" JSONB NOT NULL DEFAULT '{}',
    "testVisibility" "TestVisibility" NOT NULL DEFAULT 'PASS_FAIL_ONLY',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "leaderboardOptOut" BOOLEAN NOT NULL DEFAULT false,
    "currentStreak" INTEGER NOT NULL DEFAULT 0,
    "longestStreak" INTEGER NOT NULL DEFAULT 0,
    "lastActiveOn" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Class" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Class_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Enrollment" (
    "id" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "ClassRole" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "contentItemId" UUID NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "supportMaterials" TEXT NOT NULL DEFAULT '',
    "referenceSolutions" JSONB NOT NULL DEFAULT '{}',
    "llmModelId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgeEntry" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "classId" UUID,
    "contentItemId" UUID,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnowledgeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmModel" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentItem" (
    "id" UUID NOT NULL,
    "organizationId" UUID,
    "scope" TEXT NOT NULL DEFAULT 'global',
    "slug" TEXT NOT NULL,
    "track" "Track" NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "difficulty" "Difficulty" NOT NULL,
    "pattern" TEXT NOT NULL,
    "rung" INTEGER NOT NULL,
    "tags" TEXT[],
    "estimatedMinutes" INTEGER NOT NULL,
    "basePoints" INTEGER NOT NULL,
    "timeBonusPoints" INTEGER NOT NULL,
    "currentVersionId" UUID,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ContentItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentVersion" (
    "id" UUID NOT NULL,
    "contentItemId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ContentVersionStatus" NOT NULL DEFAULT 'DRAFT',
    "body" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ContentVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attempt" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "contentItemId" UUID NOT NULL,
    "contentVersionId" UUID NOT NULL,
    "status" "AttemptStatus" NOT NULL DEFAULT 'ACTIVE',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Submission" (
    "id" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "language" "Language",
    "code" TEXT,
    "answerText" TEXT,
    "answerJson" JSONB,
    "idempotencyKey" TEXT NOT NULL,
    "payloadHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SolutionSnapshot" (
    "id" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "language" "Language" NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SolutionSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationRun" (
    "id" UUID NOT NULL,
    "submissionId" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "kind" "EvaluationKind" NOT NULL,
    "status" "EvaluationStatus" NOT NULL DEFAULT 'QUEUED',
    "gradable" BOOLEAN NOT NULL DEFAULT true,
    "score" DOUBLE PRECISION,
    "summary" JSONB,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMPTZ(3),
    "claimCount" INTEGER NOT NULL DEFAULT 0,
    "queuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "EvaluationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CodingTestResult" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "testIndex" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "hidden" BOOLEAN NOT NULL,
    "verdict" "TestVerdict" NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "memoryKb" INTEGER,
    "stdout" TEXT NOT NULL DEFAULT '',
    "stderr" TEXT NOT NULL DEFAULT '',
    "actual" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CodingTestResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RubricScore" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "criterionKey" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "maxScore" INTEGER NOT NULL,
    "rationale" TEXT NOT NULL,
    "scorer" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RubricScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DebugDiagnostic" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "message" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DebugDiagnostic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationEvent" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvaluationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SocraticTurn" (
    "id" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "role" "TurnRole" NOT NULL,
    "status" "TurnStatus" NOT NULL DEFAULT 'COMPLETED',
    "action" "CoachAction",
    "message" TEXT NOT NULL,
    "question" TEXT,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "model" TEXT,
    "failureReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SocraticTurn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmInteraction" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "organizationId" UUID,
    "attemptId" UUID,
    "turnId" UUID,
    "llmModelId" UUID,
    "purpose" "LlmPurpose" NOT NULL,
    "model" TEXT NOT NULL,
    "prompt" JSONB NOT NULL,
    "response" TEXT NOT NULL DEFAULT '',
    "tokensIn" INTEGER NOT NULL DEFAULT 0,
    "tokensOut" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "stopReason" TEXT,
    "error" TEXT,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "flagReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmInteraction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessLog" (
    "id" UUID NOT NULL,
    "viewerId" UUID NOT NULL,
    "subjectId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "resource" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserContentProgress" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "contentItemId" UUID NOT NULL,
    "status" "ProgressStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "attemptsCount" INTEGER NOT NULL DEFAULT 0,
    "bestScore" DOUBLE PRECISION,
    "lastScore" DOUBLE PRECISION,
    "timeSpentSeconds" INTEGER NOT NULL DEFAULT 0,
    "points" INTEGER NOT NULL DEFAULT 0,
    "bestSubmissionId" UUID,
    "solvedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UserContentProgress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserMastery" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "track" "Track" NOT NULL,
    "pattern" TEXT NOT NULL,
    "mastery" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "evidenceCount" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UserMastery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PointsLedger" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "contentItemId" UUID,
    "attemptId" UUID,
    "runId" UUID,
    "track" "Track",
    "reason" "PointsReason" NOT NULL,
    "points" INTEGER NOT NULL,
    "awardKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PointsLedger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Badge" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "criterion" "BadgeCriterion" NOT NULL,
    "threshold" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Badge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserBadge" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "badgeId" UUID NOT NULL,
    "awardedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserBadge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Achievement" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "achievedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Achievement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyActivity" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "submissions" INTEGER NOT NULL DEFAULT 0,
    "solved" INTEGER NOT NULL DEFAULT 0,
    "points" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DailyActivity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_organizationId_role_idx" ON "Membership"("organizationId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_organizationId_key" ON "Membership"("userId", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Class_organizationId_name_key" ON "Class"("organizationId", "name");

-- CreateIndex
CREATE INDEX "Enrollment_userId_role_idx" ON "Enrollment"("userId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Enrollment_classId_userId_key" ON "Enrollment"("classId", "userId");

-- CreateIndex
CREATE INDEX "Assignment_contentItemId_idx" ON "Assignment"("contentItemId");

-- CreateIndex
CREATE INDEX "Assignment_llmModelId_idx" ON "Assignment"("llmModelId");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_classId_contentItemId_key" ON "Assignment"("classId", "contentItemId");

-- CreateIndex
CREATE INDEX "KnowledgeEntry_organizationId_idx" ON "KnowledgeEntry"("organizationId");

-- CreateIndex
CREATE INDEX "KnowledgeEntry_classId_idx" ON "KnowledgeEntry"("classId");

-- CreateIndex
CREATE INDEX "KnowledgeEntry_contentItemId_idx" ON "KnowledgeEntry"("contentItemId");

-- CreateIndex
CREATE UNIQUE INDEX "LlmModel_provider_name_version_key" ON "LlmModel"("provider", "name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ContentItem_currentVersionId_key" ON "ContentItem"("currentVersionId");

-- CreateIndex
CREATE INDEX "ContentItem_organizationId_idx" ON "ContentItem"("organizationId");

-- CreateIndex
CREATE INDEX "ContentItem_createdById_idx" ON "ContentItem"("createdById");

-- CreateIndex
CREATE INDEX "ContentItem_track_difficulty_pattern_rung_idx" ON "ContentItem"("track", "difficulty", "pattern", "rung");

-- CreateIndex
CREATE UNIQUE INDEX "ContentItem_scope_slug_key" ON "ContentItem"("scope", "slug");

-- CreateIndex
CREATE INDEX "ContentVersion_createdById_idx" ON "ContentVersion"("createdById");

-- CreateIndex
CREATE UNIQUE INDEX "ContentVersion_contentItemId_version_key" ON "ContentVersion"("contentItemId", "version");

-- CreateIndex
CREATE INDEX "Attempt_userId_status_startedAt_idx" ON "Attempt"("userId", "status", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "Attempt_contentItemId_idx" ON "Attempt"("contentItemId");

-- CreateIndex
CREATE INDEX "Attempt_contentVersionId_idx" ON "Attempt"("contentVersionId");

-- CreateIndex
CREATE INDEX "Submission_attemptId_createdAt_idx" ON "Submission"("attemptId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Submission_userId_idempotencyKey_key" ON "Submission"("userId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "SolutionSnapshot_attemptId_createdAt_idx" ON "SolutionSnapshot"("attemptId", "createdAt");

-- CreateIndex
CREATE INDEX "EvaluationRun_status_queuedAt_idx" ON "EvaluationRun"("status", "queuedAt");

-- CreateIndex
CREATE INDEX "EvaluationRun_status_leaseExpiresAt_idx" ON "EvaluationRun"("status", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "EvaluationRun_attemptId_idx" ON "EvaluationRun"("attemptId");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationRun_submissionId_kind_key" ON "EvaluationRun"("submissionId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "CodingTestResult_runId_testIndex_key" ON "CodingTestResult"("runId", "testIndex");

-- CreateIndex
CREATE UNIQUE INDEX "RubricScore_runId_criterionKey_key" ON "RubricScore"("runId", "criterionKey");

-- CreateIndex
CREATE UNIQUE INDEX "DebugDiagnostic_runId_code_key" ON "DebugDiagnostic"("runId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationEvent_runId_sequence_key" ON "EvaluationEvent"("runId", "sequence");

-- CreateIndex
CREATE INDEX "SocraticTurn_userId_createdAt_idx" ON "SocraticTurn"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SocraticTurn_attemptId_index_key" ON "SocraticTurn"("attemptId", "index");

-- CreateIndex
CREATE INDEX "LlmInteraction_userId_createdAt_idx" ON "LlmInteraction"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmInteraction_organizationId_createdAt_idx" ON "LlmInteraction"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmInteraction_attemptId_createdAt_idx" ON "LlmInteraction"("attemptId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmInteraction_turnId_idx" ON "LlmInteraction"("turnId");

-- CreateIndex
CREATE INDEX "LlmInteraction_llmModelId_idx" ON "LlmInteraction"("llmModelId");

-- CreateIndex
CREATE INDEX "AccessLog_subjectId_createdAt_idx" ON "AccessLog"("subjectId", "createdAt");

-- CreateIndex
CREATE INDEX "AccessLog_viewerId_createdAt_idx" ON "AccessLog"("viewerId", "createdAt");

-- CreateIndex
CREATE INDEX "AccessLog_organizationId_createdAt_idx" ON "AccessLog"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "UserContentProgress_contentItemId_idx" ON "UserContentProgress"("contentItemId");

-- CreateIndex
CREATE INDEX "UserContentProgress_bestSubmissionId_idx" ON "UserContentProgress"("bestSubmissionId");

-- CreateIndex
CREATE UNIQUE INDEX "UserContentProgress_userId_contentItemId_key" ON "UserContentProgress"("userId", "contentItemId");

-- CreateIndex
CREATE UNIQUE INDEX "UserMastery_userId_track_pattern_key" ON "UserMastery"("userId", "track", "pattern");

-- CreateIndex
CREATE UNIQUE INDEX "PointsLedger_awardKey_key" ON "PointsLedger"("awardKey");

-- CreateIndex
CREATE INDEX "PointsLedger_userId_createdAt_idx" ON "PointsLedger"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "PointsLedger_createdAt_userId_idx" ON "PointsLedger"("createdAt", "userId");

-- CreateIndex
CREATE INDEX "PointsLedger_track_createdAt_idx" ON "PointsLedger"("track", "createdAt");

-- CreateIndex
CREATE INDEX "PointsLedger_contentItemId_idx" ON "PointsLedger"("contentItemId");

-- CreateIndex
CREATE INDEX "PointsLedger_attemptId_idx" ON "PointsLedger"("attemptId");

-- CreateIndex
CREATE INDEX "PointsLedger_runId_idx" ON "PointsLedger"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Badge_key_key" ON "Badge"("key");

-- CreateIndex
CREATE INDEX "UserBadge_badgeId_idx" ON "UserBadge"("badgeId");

-- CreateIndex
CREATE UNIQUE INDEX "UserBadge_userId_badgeId_key" ON "UserBadge"("userId", "badgeId");

-- CreateIndex
CREATE UNIQUE INDEX "Achievement_userId_key_key" ON "Achievement"("userId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "DailyActivity_userId_day_key" ON "DailyActivity"("userId", "day");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Class" ADD CONSTRAINT "Class_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_contentItemId_fkey" FOREIGN KEY ("contentItemId") REFERENCES "ContentItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_llmModelId_fkey" FOREIGN KEY ("llmModelId") REFERENCES "LlmModel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnowledgeEntry" ADD CONSTRAINT "KnowledgeEntry_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnowledgeEntry" ADD CONSTRAINT "KnowledgeEntry_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnowledgeEntry" ADD CONSTRAINT "KnowledgeEntry_contentItemId_fkey" FOREIGN KEY ("contentItemId") REFERENCES "ContentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentItem" ADD CONSTRAINT "ContentItem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentItem" ADD CONSTRAINT "ContentItem_currentVersionId_fkey" FOREIGN KEY ("currentVersionId") REFERENCES "ContentVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentItem" ADD CONSTRAINT "ContentItem_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentVersion" ADD CONSTRAINT "ContentVersion_contentItemId_fkey" FOREIGN KEY ("contentItemId") REFERENCES "ContentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentVersion" ADD CONSTRAINT "ContentVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attempt" ADD CONSTRAINT "Attempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attempt" ADD CONSTRAINT "Attempt_contentItemId_fkey" FOREIGN KEY ("contentItemId") REFERENCES "ContentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attempt" ADD CONSTRAINT "Attempt_contentVersionId_fkey" FOREIGN KEY ("contentVersionId") REFERENCES "ContentVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SolutionSnapshot" ADD CONSTRAINT "SolutionSnapshot_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationRun" ADD CONSTRAINT "EvaluationRun_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "Submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationRun" ADD CONSTRAINT "EvaluationRun_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodingTestResult" ADD CONSTRAINT "CodingTestResult_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RubricScore" ADD CONSTRAINT "RubricScore_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DebugDiagnostic" ADD CONSTRAINT "DebugDiagnostic_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationEvent" ADD CONSTRAINT "EvaluationEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocraticTurn" ADD CONSTRAINT "SocraticTurn_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocraticTurn" ADD CONSTRAINT "SocraticTurn_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmInteraction" ADD CONSTRAINT "LlmInteraction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmInteraction" ADD CONSTRAINT "LlmInteraction_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmInteraction" ADD CONSTRAINT "LlmInteraction_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmInteraction" ADD CONSTRAINT "LlmInteraction_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "SocraticTurn"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmInteraction" ADD CONSTRAINT "LlmInteraction_llmModelId_fkey" FOREIGN KEY ("llmModelId") REFERENCES "LlmModel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_viewerId_fkey" FOREIGN KEY ("viewerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserContentProgress" ADD CONSTRAINT "UserContentProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserContentProgress" ADD CONSTRAINT "UserContentProgress_contentItemId_fkey" FOREIGN KEY ("contentItemId") REFERENCES "ContentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserContentProgress" ADD CONSTRAINT "UserContentProgress_bestSubmissionId_fkey" FOREIGN KEY ("bestSubmissionId") REFERENCES "Submission"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserMastery" ADD CONSTRAINT "UserMastery_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsLedger" ADD CONSTRAINT "PointsLedger_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsLedger" ADD CONSTRAINT "PointsLedger_contentItemId_fkey" FOREIGN KEY ("contentItemId") REFERENCES "ContentItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsLedger" ADD CONSTRAINT "PointsLedger_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsLedger" ADD CONSTRAINT "PointsLedger_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserBadge" ADD CONSTRAINT "UserBadge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserBadge" ADD CONSTRAINT "UserBadge_badgeId_fkey" FOREIGN KEY ("badgeId") REFERENCES "Badge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Achievement" ADD CONSTRAINT "Achievement_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyActivity" ADD CONSTRAINT "DailyActivity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Check constraints: the Prisma schema language cannot express them, and the differ leaves them alone.
-- (No semicolons or quotes in comments here: adapter-pg splits scripts on semicolons.)
ALTER TABLE "User"
  ADD CONSTRAINT "User_email_lowercase_check" CHECK ("email" = lower("email") AND position('@' in "email") > 1),
  ADD CONSTRAINT "User_streaks_check" CHECK ("currentStreak" >= 0 AND "longestStreak" >= "currentStreak");
ALTER TABLE "Organization"
  ADD CONSTRAINT "Organization_slug_check" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
ALTER TABLE "ContentItem"
  ADD CONSTRAINT "ContentItem_scope_check" CHECK ("scope" = COALESCE("organizationId"::text, 'global')),
  ADD CONSTRAINT "ContentItem_slug_check" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  ADD CONSTRAINT "ContentItem_numbers_check" CHECK ("rung" >= 1 AND "estimatedMinutes" > 0 AND "basePoints" >= 0 AND "timeBonusPoints" >= 0);
ALTER TABLE "ContentVersion"
  ADD CONSTRAINT "ContentVersion_version_check" CHECK ("version" >= 1),
  ADD CONSTRAINT "ContentVersion_published_check" CHECK ("status" = 'DRAFT' OR "publishedAt" IS NOT NULL);
ALTER TABLE "Attempt"
  ADD CONSTRAINT "Attempt_completed_check" CHECK (("status" = 'COMPLETED') = ("completedAt" IS NOT NULL));
ALTER TABLE "Submission"
  ADD CONSTRAINT "Submission_payload_check" CHECK (("code" IS NOT NULL AND "language" IS NOT NULL) OR "answerText" IS NOT NULL OR "answerJson" IS NOT NULL),
  ADD CONSTRAINT "Submission_idempotency_key_check" CHECK (length("idempotencyKey") BETWEEN 1 AND 200);
ALTER TABLE "EvaluationRun"
  ADD CONSTRAINT "EvaluationRun_score_check" CHECK ("score" IS NULL OR ("score" >= 0 AND "score" <= 1)),
  ADD CONSTRAINT "EvaluationRun_claim_count_check" CHECK ("claimCount" >= 0);
ALTER TABLE "CodingTestResult"
  ADD CONSTRAINT "CodingTestResult_numbers_check" CHECK ("testIndex" >= 0 AND "durationMs" >= 0 AND ("memoryKb" IS NULL OR "memoryKb" >= 0));
ALTER TABLE "RubricScore"
  ADD CONSTRAINT "RubricScore_score_check" CHECK ("maxScore" > 0 AND "score" >= 0 AND "score" <= "maxScore");
ALTER TABLE "EvaluationEvent"
  ADD CONSTRAINT "EvaluationEvent_sequence_check" CHECK ("sequence" >= 1);
ALTER TABLE "SocraticTurn"
  ADD CONSTRAINT "SocraticTurn_index_check" CHECK ("index" >= 0);
ALTER TABLE "LlmInteraction"
  ADD CONSTRAINT "LlmInteraction_numbers_check" CHECK ("tokensIn" >= 0 AND "tokensOut" >= 0 AND "latencyMs" >= 0);
ALTER TABLE "UserContentProgress"
  ADD CONSTRAINT "UserContentProgress_numbers_check" CHECK ("attemptsCount" >= 0 AND "timeSpentSeconds" >= 0 AND "points" >= 0 AND "version" >= 0),
  ADD CONSTRAINT "UserContentProgress_scores_check" CHECK (("bestScore" IS NULL OR "bestScore" BETWEEN 0 AND 1) AND ("lastScore" IS NULL OR "lastScore" BETWEEN 0 AND 1));
ALTER TABLE "UserMastery"
  ADD CONSTRAINT "UserMastery_numbers_check" CHECK ("mastery" BETWEEN 0 AND 1 AND "evidenceCount" >= 0);
ALTER TABLE "PointsLedger"
  ADD CONSTRAINT "PointsLedger_points_check" CHECK ("reason" = 'ADJUSTMENT' OR "points" > 0);
ALTER TABLE "Badge"
  ADD CONSTRAINT "Badge_threshold_check" CHECK ("threshold" > 0);
ALTER TABLE "DailyActivity"
  ADD CONSTRAINT "DailyActivity_numbers_check" CHECK ("submissions" >= 0 AND "solved" >= 0 AND "points" >= 0);
