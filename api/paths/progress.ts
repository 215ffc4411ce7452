/**
 * Where a learner stands in their curriculum: which topics are open, and what evaluations do
 * for them. A topic completes when its best exercise score reaches the mastery threshold, and
 * opens when every prerequisite has completed; practice mode opens every topic, since
 * prerequisites guide rather than imprison.
 */
import type { Prisma } from '../generated/prisma/client.js';
import { MASTERY_THRESHOLD } from './builtin-planner.js';
import { review, type StoredCard } from './reviews.js';

/** Whether a topic is locked, and what it waits for. */
export interface TopicLock {
  locked: boolean;
  /** What it waits for, for people; null when open. */
  reason: string | null;
}

/**
 * The lock of a topic with these prerequisites. Open whatever they are: a topic of a class
 * template (no learner), one already completed, and every topic in practice mode.
 */
export function topicLock(
  prerequisites: readonly { title: string; completed: boolean }[],
  open: { template: boolean; completed: boolean; practiceMode: boolean },
): TopicLock {
  const waiting = prerequisites.filter((p) => !p.completed).map((p) => p.title);
  if (open.template || open.completed || open.practiceMode || waiting.length === 0)
    return { locked: false, reason: null };
  const names = waiting.length === 1 ? waiting[0] : `${waiting.slice(0, -1).join(', ')} and ${waiting.at(-1)}`;
  return {
    locked: true,
    reason: `Waits for ${names} (mastery ${MASTERY_THRESHOLD} or more), or switch on practice mode to open it now.`,
  };
}

/** What one evaluated exercise did for a topic of the learner's current curriculum. */
export interface TopicChange {
  topicId: string;
  curriculumId: string;
  /** It completed with this outcome (exactly once). */
  completed: boolean;
  /** Topics that opened because of it (exactly once each). */
  unlocked: string[];
}

/** One evaluated exercise: its score (0 to 1), whether it passed, and the time it took. */
export interface ExerciseOutcome {
  userId: string;
  score: number;
  passed: boolean;
  timeSpentSeconds: number;
  at: Date;
}

/**
 * Records an evaluation of a content item in every topic of the learner's current curriculum
 * that has it as an exercise. Call it inside the transaction that completes the evaluation:
 * the topic's completion and what it unlocks happen there, each exactly once (conditional
 * updates, so two evaluations finishing at once complete it once).
 */
export async function recordItemOutcome(
  tx: Prisma.TransactionClient,
  contentItemId: string,
  outcome: ExerciseOutcome,
): Promise<TopicChange[]> {
  const topics = await tx.curriculumTopic.findMany({
    where: {
      curriculum: { userId: outcome.userId, replacedAt: null },
      exercises: { some: { contentItemId } },
    },
    select: { id: true, curriculumId: true },
  });
  const changes: TopicChange[] = [];
  for (const topic of topics) changes.push(await applyOutcome(tx, topic, outcome));
  return changes;
}

/**
 * Records a completed adaptive test on a pool in every topic of the learner's current
 * curriculum with that pool as an exercise: the topic's score is the learner's mastery of its
 * concept (`mastery`), when the test measured it.
 */
export async function recordTestOutcome(
  tx: Prisma.TransactionClient,
  poolId: string,
  mastery: ReadonlyMap<string, number>,
  outcome: Omit<ExerciseOutcome, 'score' | 'passed'>,
): Promise<TopicChange[]> {
  const topics = await tx.curriculumTopic.findMany({
    where: {
      curriculum: { userId: outcome.userId, replacedAt: null },
      exercises: { some: { questionPoolId: poolId } },
      concept: { in: [...mastery.keys()] },
    },
    select: { id: true, curriculumId: true, concept: true },
  });
  const changes: TopicChange[] = [];
  for (const topic of topics) {
    const score = Math.max(0, Math.min(1, mastery.get(topic.concept) ?? 0));
    changes.push(await applyOutcome(tx, topic, { ...outcome, score, passed: score >= MASTERY_THRESHOLD }));
  }
  return changes;
}

async function applyOutcome(
  tx: Prisma.TransactionClient,
  topic: { id: string; curriculumId: string },
  outcome: ExerciseOutcome,
): Promise<TopicChange> {
  const change: TopicChange = { topicId: topic.id, curriculumId: topic.curriculumId, completed: false, unlocked: [] };
  // The counts, in one statement: concurrent outcomes add up.
  const [progress] = await tx.$queryRaw<{ completed: boolean; bestScore: number; reviewCard: StoredCard | null }[]>`
    UPDATE "TopicProgress" SET
      "attempts" = "attempts" + 1,
      "consecutiveFailures" = CASE WHEN ${outcome.passed} THEN 0 ELSE "consecutiveFailures" + 1 END,
      "bestScore" = GREATEST(COALESCE("bestScore", 0), ${outcome.score}::float8),
      "timeSpentSeconds" = "timeSpentSeconds" + ${Math.max(0, Math.round(outcome.timeSpentSeconds))}::int,
      "lastAttemptAt" = ${outcome.at},
      "updatedAt" = ${outcome.at}
    WHERE "topicId" = ${topic.id}::uuid
    RETURNING "completed", "bestScore", "reviewCard"`;
  if (!progress) return change;
  if (progress.completed) {
    // A completed topic practised again: a review of its card.
    const next = review(progress.reviewCard, outcome.passed, outcome.at);
    await tx.topicProgress.update({
      where: { topicId: topic.id },
      data: { reviewCard: next.card, reviewDueAt: next.due },
    });
    return change;
  }
  if (progress.bestScore < MASTERY_THRESHOLD) return change;
  const first = review(null, true, outcome.at);
  // Completed once: of two outcomes at once, one finds it completed already.
  const { count } = await tx.topicProgress.updateMany({
    where: { topicId: topic.id, completed: false },
    data: { completed: true, completedAt: outcome.at, reviewCard: first.card, reviewDueAt: first.due },
  });
  if (count === 0) return change;
  change.completed = true;
  // What waited for it and now has every prerequisite completed opens, once.
  const opened = await tx.$queryRaw<{ topicId: string }[]>`
    UPDATE "TopicProgress" p SET "unlockedAt" = ${outcome.at}, "updatedAt" = ${outcome.at}
    WHERE p."unlockedAt" IS NULL
      AND p."topicId" IN (SELECT "topicId" FROM "TopicPrerequisite" WHERE "prerequisiteId" = ${topic.id}::uuid)
      AND NOT EXISTS (
        SELECT 1 FROM "TopicPrerequisite" e JOIN "TopicProgress" q ON q."topicId" = e."prerequisiteId"
        WHERE e."topicId" = p."topicId" AND NOT q."completed")
    RETURNING p."topicId"::text AS "topicId"`;
  change.unlocked = opened.map((row) => row.topicId);
  // The last topic completes the curriculum.
  await tx.$executeRaw`
    UPDATE "Curriculum" SET "status" = 'COMPLETED', "updatedAt" = ${outcome.at}
    WHERE "id" = ${topic.curriculumId}::uuid AND "status" <> 'COMPLETED'
      AND NOT EXISTS (SELECT 1 FROM "CurriculumTopic" t JOIN "TopicProgress" q ON q."topicId" = t."id"
                      WHERE t."curriculumId" = ${topic.curriculumId}::uuid AND NOT q."completed")`;
  return change;
}
