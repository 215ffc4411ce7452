-- CreateEnum
CREATE TYPE "QuestionStatus" AS ENUM ('ACTIVE', 'RETIRED');

-- CreateEnum
CREATE TYPE "AdaptiveSessionStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'EXPIRED', 'ABANDONED');

-- CreateEnum
CREATE TYPE "AbilityEstimator" AS ENUM ('EAP', 'MLE');

-- CreateTable
CREATE TABLE "QuestionPool" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "organizationId" UUID,
    "concepts" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "QuestionPool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" UUID NOT NULL,
    "poolId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "stem" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "correctOption" TEXT NOT NULL,
    "explanation" TEXT NOT NULL DEFAULT '',
    "concepts" TEXT[],
    "discrimination" DOUBLE PRECISION NOT NULL,
    "difficulty" DOUBLE PRECISION NOT NULL,
    "guessing" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "status" "QuestionStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdaptiveTestSession" (
    "id" UUID NOT NULL,
    "poolId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "status" "AdaptiveSessionStatus" NOT NULL DEFAULT 'ACTIVE',
    "stopReason" TEXT,
    "estimator" "AbilityEstimator" NOT NULL DEFAULT 'EAP',
    "maxQuestions" INTEGER NOT NULL,
    "targetStandardError" DOUBLE PRECISION NOT NULL,
    "concepts" TEXT[],
    "exposureTopK" INTEGER NOT NULL DEFAULT 5,
    "theta" DOUBLE PRECISION NOT NULL,
    "standardError" DOUBLE PRECISION NOT NULL,
    "initialTheta" DOUBLE PRECISION NOT NULL,
    "initialStandardError" DOUBLE PRECISION NOT NULL,
    "currentQuestionId" UUID,
    "seed" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActivityAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AdaptiveTestSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TestResponse" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "choice" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "thetaBefore" DOUBLE PRECISION NOT NULL,
    "thetaAfter" DOUBLE PRECISION NOT NULL,
    "standardErrorAfter" DOUBLE PRECISION NOT NULL,
    "latencyMs" INTEGER,
    "idempotencyKey" TEXT NOT NULL,
    "answeredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TestResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConceptProficiency" (
    "userId" UUID NOT NULL,
    "concept" TEXT NOT NULL,
    "theta" DOUBLE PRECISION NOT NULL,
    "standardError" DOUBLE PRECISION NOT NULL,
    "responses" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConceptProficiency_pkey" PRIMARY KEY ("userId","concept")
);

-- CreateIndex
CREATE INDEX "QuestionPool_organizationId_idx" ON "QuestionPool"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionPool_scope_slug_key" ON "QuestionPool"("scope", "slug");

-- CreateIndex
CREATE INDEX "Question_poolId_status_idx" ON "Question"("poolId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Question_poolId_key_key" ON "Question"("poolId", "key");

-- CreateIndex
CREATE INDEX "AdaptiveTestSession_userId_startedAt_idx" ON "AdaptiveTestSession"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "AdaptiveTestSession_status_expiresAt_idx" ON "AdaptiveTestSession"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "AdaptiveTestSession_poolId_idx" ON "AdaptiveTestSession"("poolId");

-- CreateIndex
CREATE INDEX "TestResponse_questionId_idx" ON "TestResponse"("questionId");

-- CreateIndex
CREATE UNIQUE INDEX "TestResponse_sessionId_questionId_key" ON "TestResponse"("sessionId", "questionId");

-- CreateIndex
CREATE UNIQUE INDEX "TestResponse_sessionId_position_key" ON "TestResponse"("sessionId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "TestResponse_sessionId_idempotencyKey_key" ON "TestResponse"("sessionId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "QuestionPool" ADD CONSTRAINT "QuestionPool_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "QuestionPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdaptiveTestSession" ADD CONSTRAINT "AdaptiveTestSession_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "QuestionPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdaptiveTestSession" ADD CONSTRAINT "AdaptiveTestSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestResponse" ADD CONSTRAINT "TestResponse_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "AdaptiveTestSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestResponse" ADD CONSTRAINT "TestResponse_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConceptProficiency" ADD CONSTRAINT "ConceptProficiency_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Checks Prisma cannot express.
ALTER TABLE "QuestionPool"
  ADD CONSTRAINT "QuestionPool_scope_check" CHECK ("scope" = COALESCE("organizationId"::text, 'global')),
  ADD CONSTRAINT "QuestionPool_slug_check" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
ALTER TABLE "Question"
  ADD CONSTRAINT "Question_parameters_check" CHECK ("discrimination" > 0 AND "guessing" >= 0 AND "guessing" < 1),
  ADD CONSTRAINT "Question_options_check" CHECK (jsonb_typeof("options") = 'array' AND jsonb_array_length("options") >= 2);
ALTER TABLE "AdaptiveTestSession"
  ADD CONSTRAINT "AdaptiveTestSession_limits_check" CHECK ("maxQuestions" >= 1 AND "targetStandardError" > 0 AND "exposureTopK" >= 1),
  ADD CONSTRAINT "AdaptiveTestSession_completed_check" CHECK (("status" = 'ACTIVE') = ("completedAt" IS NULL));
ALTER TABLE "TestResponse"
  ADD CONSTRAINT "TestResponse_position_check" CHECK ("position" >= 1);
