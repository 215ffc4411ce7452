-- CreateEnum
CREATE TYPE "SkillLevel" AS ENUM ('BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'EXPERT');

-- CreateEnum
CREATE TYPE "LearningStyle" AS ENUM ('READING', 'VISUAL', 'HANDS_ON', 'MIXED');

-- CreateEnum
CREATE TYPE "StudyTime" AS ENUM ('MORNING', 'AFTERNOON', 'EVENING', 'NIGHT', 'WEEKEND');

-- CreateEnum
CREATE TYPE "CurriculumStatus" AS ENUM ('DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "CurriculumPlanner" AS ENUM ('ANTHROPIC', 'BUILTIN', 'INSTRUCTOR');

-- CreateTable
CREATE TABLE "LearningProfile" (
    "userId" UUID NOT NULL,
    "skillLevel" "SkillLevel" NOT NULL DEFAULT 'BEGINNER',
    "learningStyle" "LearningStyle" NOT NULL DEFAULT 'MIXED',
    "goals" TEXT[],
    "weeklyHours" DOUBLE PRECISION NOT NULL DEFAULT 3,
    "preferredTimes" "StudyTime"[],
    "preferences" JSONB NOT NULL DEFAULT '{}',
    "assessmentCompleted" BOOLEAN NOT NULL DEFAULT false,
    "placementSessionId" UUID,
    "practiceMode" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LearningProfile_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "Curriculum" (
    "id" UUID NOT NULL,
    "userId" UUID,
    "classId" UUID,
    "templateId" UUID,
    "title" TEXT NOT NULL,
    "status" "CurriculumStatus" NOT NULL DEFAULT 'DRAFT',
    "planner" "CurriculumPlanner" NOT NULL,
    "goals" TEXT[],
    "weeklyHours" DOUBLE PRECISION NOT NULL,
    "plannerNote" TEXT NOT NULL DEFAULT '',
    "idempotencyKey" TEXT,
    "createdById" UUID,
    "replacedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Curriculum_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CurriculumTopic" (
    "id" UUID NOT NULL,
    "curriculumId" UUID NOT NULL,
    "order" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "difficulty" INTEGER NOT NULL,
    "objectives" TEXT[],
    "estimatedMinutes" INTEGER NOT NULL,
    "concept" TEXT NOT NULL,

    CONSTRAINT "CurriculumTopic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TopicPrerequisite" (
    "topicId" UUID NOT NULL,
    "prerequisiteId" UUID NOT NULL,

    CONSTRAINT "TopicPrerequisite_pkey" PRIMARY KEY ("topicId","prerequisiteId")
);

-- CreateTable
CREATE TABLE "TopicExercise" (
    "id" UUID NOT NULL,
    "topicId" UUID NOT NULL,
    "order" INTEGER NOT NULL,
    "contentItemId" UUID,
    "questionPoolId" UUID,

    CONSTRAINT "TopicExercise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TopicProgress" (
    "topicId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "bestScore" DOUBLE PRECISION,
    "timeSpentSeconds" INTEGER NOT NULL DEFAULT 0,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "completedAt" TIMESTAMPTZ(3),
    "lastAttemptAt" TIMESTAMPTZ(3),
    "unlockedAt" TIMESTAMPTZ(3),
    "reviewCard" JSONB,
    "reviewDueAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TopicProgress_pkey" PRIMARY KEY ("topicId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LearningProfile_placementSessionId_key" ON "LearningProfile"("placementSessionId");

-- CreateIndex
CREATE INDEX "Curriculum_classId_idx" ON "Curriculum"("classId");

-- CreateIndex
CREATE INDEX "Curriculum_templateId_idx" ON "Curriculum"("templateId");

-- CreateIndex
CREATE UNIQUE INDEX "Curriculum_userId_idempotencyKey_key" ON "Curriculum"("userId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "CurriculumTopic_curriculumId_order_idx" ON "CurriculumTopic"("curriculumId", "order");

-- CreateIndex
CREATE INDEX "TopicPrerequisite_prerequisiteId_idx" ON "TopicPrerequisite"("prerequisiteId");

-- CreateIndex
CREATE INDEX "TopicExercise_topicId_order_idx" ON "TopicExercise"("topicId", "order");

-- CreateIndex
CREATE INDEX "TopicExercise_contentItemId_idx" ON "TopicExercise"("contentItemId");

-- CreateIndex
CREATE INDEX "TopicExercise_questionPoolId_idx" ON "TopicExercise"("questionPoolId");

-- CreateIndex
CREATE INDEX "TopicProgress_userId_reviewDueAt_idx" ON "TopicProgress"("userId", "reviewDueAt");

-- AddForeignKey
ALTER TABLE "LearningProfile" ADD CONSTRAINT "LearningProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningProfile" ADD CONSTRAINT "LearningProfile_placementSessionId_fkey" FOREIGN KEY ("placementSessionId") REFERENCES "AdaptiveTestSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Curriculum" ADD CONSTRAINT "Curriculum_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Curriculum" ADD CONSTRAINT "Curriculum_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Curriculum" ADD CONSTRAINT "Curriculum_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Curriculum" ADD CONSTRAINT "Curriculum_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Curriculum"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CurriculumTopic" ADD CONSTRAINT "CurriculumTopic_curriculumId_fkey" FOREIGN KEY ("curriculumId") REFERENCES "Curriculum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicPrerequisite" ADD CONSTRAINT "TopicPrerequisite_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "CurriculumTopic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicPrerequisite" ADD CONSTRAINT "TopicPrerequisite_prerequisiteId_fkey" FOREIGN KEY ("prerequisiteId") REFERENCES "CurriculumTopic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicExercise" ADD CONSTRAINT "TopicExercise_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "CurriculumTopic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicExercise" ADD CONSTRAINT "TopicExercise_contentItemId_fkey" FOREIGN KEY ("contentItemId") REFERENCES "ContentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicExercise" ADD CONSTRAINT "TopicExercise_questionPoolId_fkey" FOREIGN KEY ("questionPoolId") REFERENCES "QuestionPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicProgress" ADD CONSTRAINT "TopicProgress_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "CurriculumTopic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicProgress" ADD CONSTRAINT "TopicProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Checks Prisma cannot express.
ALTER TABLE "LearningProfile"
  ADD CONSTRAINT "LearningProfile_weeklyHours_check" CHECK ("weeklyHours" >= 0.5 AND "weeklyHours" <= 40);
ALTER TABLE "Curriculum"
  ADD CONSTRAINT "Curriculum_owner_check" CHECK ("userId" IS NOT NULL OR ("classId" IS NOT NULL AND "planner" = 'INSTRUCTOR')),
  ADD CONSTRAINT "Curriculum_weeklyHours_check" CHECK ("weeklyHours" >= 0.5 AND "weeklyHours" <= 40);
ALTER TABLE "CurriculumTopic"
  ADD CONSTRAINT "CurriculumTopic_numbers_check" CHECK ("order" >= 1 AND "difficulty" BETWEEN 1 AND 10 AND "estimatedMinutes" > 0);
ALTER TABLE "TopicPrerequisite"
  ADD CONSTRAINT "TopicPrerequisite_self_check" CHECK ("topicId" <> "prerequisiteId");
ALTER TABLE "TopicExercise"
  ADD CONSTRAINT "TopicExercise_one_check" CHECK (("contentItemId" IS NULL) <> ("questionPoolId" IS NULL)),
  ADD CONSTRAINT "TopicExercise_order_check" CHECK ("order" >= 1);
ALTER TABLE "TopicProgress"
  ADD CONSTRAINT "TopicProgress_numbers_check" CHECK ("attempts" >= 0 AND "consecutiveFailures" >= 0 AND "timeSpentSeconds" >= 0
    AND ("bestScore" IS NULL OR "bestScore" BETWEEN 0 AND 1) AND ("completed" = ("completedAt" IS NOT NULL)));

-- A learner has one current curriculum: the ones it replaced keep `replacedAt`.
CREATE UNIQUE INDEX "Curriculum_current_key" ON "Curriculum"("userId") WHERE "userId" IS NOT NULL AND "replacedAt" IS NULL;
