/**
 * What a student earns from an evaluation, exactly once: points in the append-only ledger
 * (keyed so a repeated delivery awards nothing), progress on the item and mastery of its
 * pattern (optimistic locking: a concurrent change makes the transaction retry, so two
 * evaluations finishing at once both count), the day's activity and the streak in the
 * user's time zone, badges and achievements, and the leaderboard totals.
 */
import { OptimisticLockError } from '../db/conflicts.js';
import { Prisma } from '../generated/prisma/client.js';
import type { EvaluationKind, PointsReason, Track } from '../generated/prisma/enums.js';
import { LEADERBOARD_PERIODS, periodStart } from '../leaderboard/periods.js';
import { recordActiveDay } from './streak.js';

type Transaction = Prisma.TransactionClient;

/** Score from which a system-design answer counts as solved (rubrics rarely give full marks). */
export const SYSTEM_DESIGN_SOLVED_SCORE = 0.7;

/** Longest gap between two submissions of an attempt that still counts as time spent. */
const MAX_COUNTED_GAP_SECONDS = 3_600;

/**
 * The time bonus of a solve: `timeBonusPoints × 0.5^(minutes / estimatedMinutes)`, rounded
 * down, where `minutes` runs from the attempt's start to the solving submission: the full
 * bonus at once, half after the item's estimated time, a quarter after twice that.
 */
export function timeBonus(timeBonusPoints: number, estimatedMinutes: number, elapsedMs: number): number {
  const minutes = Math.max(0, elapsedMs) / 60_000;
  return Math.floor(timeBonusPoints * 0.5 ** (minutes / Math.max(1, estimatedMinutes)));
}

/** One finished evaluation, as the worker records it. */
export interface EvaluationOutcome {
  runId: string;
  kind: EvaluationKind;
  submissionId: string;
  score: number;
  /** Test cases or rubric points passed, and possible: the evidence behind mastery. */
  evidencePassed: number;
  evidenceTotal: number;
  /** When the points are awarded (the leaderboard windows follow it); default now. */
  at?: Date;
}

/** What the outcome earned. */
export interface OutcomeRewards {
  userId: string;
  points: number;
  firstSolve: boolean;
  contentItemId: string;
  /** The score reached the item's solved mark (full marks; 0.7 for a system-design rubric). */
  passed: boolean;
  /** Time the submission added to the attempt (capped gaps between submissions). */
  timeSpentSeconds: number;
}

interface Award {
  reason: PointsReason;
  points: number;
  awardKey: string;
}

/** Records what a finished evaluation earns; call inside the transaction that completes the run. */
export async function recordOutcome(tx: Transaction, outcome: EvaluationOutcome): Promise<OutcomeRewards> {
  const submission = await tx.submission.findUniqueOrThrow({
    where: { id: outcome.submissionId },
    select: {
      id: true,
      createdAt: true,
      attempt: {
        select: {
          id: true,
          startedAt: true,
          contentItem: {
            select: {
              id: true,
              track: true,
              pattern: true,
              organizationId: true,
              basePoints: true,
              timeBonusPoints: true,
              estimatedMinutes: true,
            },
          },
        },
      },
      user: { select: { id: true, timeZone: true } },
    },
  });
  const { attempt, user } = submission;
  const item = attempt.contentItem;
  const [progress, previous] = await Promise.all([
    tx.userContentProgress.findUnique({ where: { userId_contentItemId: { userId: user.id, contentItemId: item.id } } }),
    tx.submission.findFirst({
      where: { attemptId: attempt.id, createdAt: { lt: submission.createdAt } },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    }),
  ]);

  const solvedAt = item.track === 'SYSTEM_DESIGN' ? SYSTEM_DESIGN_SOLVED_SCORE : 1;
  const wasSolved = progress?.status === 'SOLVED';
  const firstSolve = !wasSolved && outcome.score >= solvedAt;
  const oldBest = progress?.bestScore ?? 0;
  const newBest = Math.max(oldBest, outcome.score);
  const key = `${user.id}:${item.id}`;

  const awards: Award[] = [];
  const bonus = () =>
    timeBonus(
      item.timeBonusPoints,
      item.estimatedMinutes,
      submission.createdAt.getTime() - attempt.startedAt.getTime(),
    );
  if (item.track === 'SYSTEM_DESIGN') {
    // Credit follows the best rubric score; the solve carries what it adds, and the time bonus.
    const credit = Math.round(item.basePoints * newBest) - Math.round(item.basePoints * oldBest);
    if (firstSolve) awards.push({ reason: 'SOLVE', points: Math.max(0, credit), awardKey: `solve:${key}` });
    else if (credit > 0)
      awards.push({ reason: 'PARTIAL_CREDIT', points: credit, awardKey: `partial:${outcome.runId}` });
  } else if (firstSolve) {
    awards.push({ reason: 'SOLVE', points: item.basePoints, awardKey: `solve:${key}` });
  }
  if (firstSolve) {
    const points = bonus();
    if (points > 0) awards.push({ reason: 'TIME_BONUS', points, awardKey: `time-bonus:${key}` });
  }

  const now = outcome.at ?? new Date();
  // Inserted rows only: an award already in the ledger (a repeated delivery) is skipped.
  const awarded = awards.length
    ? await tx.pointsLedger.createManyAndReturn({
        data: awards.map((award) => ({
          ...award,
          userId: user.id,
          contentItemId: item.id,
          attemptId: attempt.id,
          runId: outcome.runId,
          track: item.track,
          createdAt: now,
        })),
        skipDuplicates: true,
        select: { reason: true, points: true },
      })
    : [];
  const points = awarded.reduce((sum, award) => sum + award.points, 0);
  const solvedNow = awarded.some((award) => award.reason === 'SOLVE');

  // Progress, guarded by its version.
  const gap = Math.round(
    (submission.createdAt.getTime() - (previous?.createdAt ?? attempt.startedAt).getTime()) / 1000,
  );
  const timeSpent = Math.min(MAX_COUNTED_GAP_SECONDS, Math.max(0, gap));
  const improved = outcome.score > (progress?.bestScore ?? -1);
  const data = {
    status: wasSolved || firstSolve ? ('SOLVED' as const) : ('IN_PROGRESS' as const),
    bestScore: newBest,
    lastScore: outcome.score,
    timeSpentSeconds: (progress?.timeSpentSeconds ?? 0) + timeSpent,
    points: (progress?.points ?? 0) + points,
    bestSubmissionId: improved ? submission.id : (progress?.bestSubmissionId ?? null),
    solvedAt: progress?.solvedAt ?? (firstSolve ? now : null),
  };
  if (!progress) {
    // A concurrent first insert makes this fail on the unique key: the transaction retries.
    await tx.userContentProgress.create({
      data: { userId: user.id, contentItemId: item.id, attemptsCount: 1, version: 1, ...data },
    });
  } else {
    const { count } = await tx.userContentProgress.updateMany({
      where: { id: progress.id, version: progress.version },
      data: { ...data, version: progress.version + 1 },
    });
    if (count === 0) throw new OptimisticLockError('UserContentProgress changed meanwhile');
  }

  await updateMastery(tx, user.id, item, outcome);

  // The day's activity and the streak, on the user's local day of the submission.
  const streak = await recordActiveDay(tx, user, submission.createdAt, { solved: solvedNow, points });

  if (awarded.length) await addToLeaderboards(tx, user.id, item.track, awarded, now);
  await awardBadgesAndAchievements(tx, user.id, {
    firstSolve: solvedNow,
    streak,
    perfectRubric: outcome.kind === 'RUBRIC' && outcome.score >= 1,
    runId: outcome.runId,
    contentItemId: item.id,
  });
  return {
    userId: user.id,
    points,
    firstSolve: solvedNow,
    contentItemId: item.id,
    passed: outcome.score >= solvedAt,
    timeSpentSeconds: timeSpent,
  };
}

/**
 * Mastery of the item's track and pattern: the sum of the user's best scores on the
 * pattern's published items over how many there are (an unseen item counts 0), so mastering
 * a pattern means solving its ladder. `evidenceCount` adds up the tests and criteria passed.
 */
async function updateMastery(
  tx: Transaction,
  userId: string,
  item: { track: Track; pattern: string; organizationId: string | null },
  outcome: EvaluationOutcome,
): Promise<void> {
  const [row] = await tx.$queryRaw<{ best: number; items: number }[]>`
    SELECT
      (SELECT COALESCE(SUM(p."bestScore"), 0)::float8 FROM "UserContentProgress" p
         JOIN "ContentItem" i ON i."id" = p."contentItemId"
        WHERE p."userId" = ${userId}::uuid AND i."track" = ${item.track}::"Track" AND i."pattern" = ${item.pattern}) AS "best",
      (SELECT COUNT(*)::int FROM "ContentItem" i
        WHERE i."track" = ${item.track}::"Track" AND i."pattern" = ${item.pattern} AND i."currentVersionId" IS NOT NULL
          AND (i."organizationId" IS NULL OR i."organizationId" IN
               (SELECT "organizationId" FROM "Membership" WHERE "userId" = ${userId}::uuid))) AS "items"`;
  const mastery = Math.min(1, (row?.best ?? 0) / Math.max(1, row?.items ?? 1));
  const where = { userId_track_pattern: { userId, track: item.track, pattern: item.pattern } };
  const current = await tx.userMastery.findUnique({ where });
  if (!current) {
    await tx.userMastery.create({
      data: {
        userId,
        track: item.track,
        pattern: item.pattern,
        mastery,
        evidenceCount: outcome.evidencePassed,
        version: 1,
      },
    });
    return;
  }
  const { count } = await tx.userMastery.updateMany({
    where: { id: current.id, version: current.version },
    data: { mastery, evidenceCount: current.evidenceCount + outcome.evidencePassed, version: current.version + 1 },
  });
  if (count === 0) throw new OptimisticLockError('UserMastery changed meanwhile');
}

/** Adds awards to the user's leaderboard totals: every period, the item's track and ALL. */
async function addToLeaderboards(
  tx: Transaction,
  userId: string,
  track: Track,
  awarded: { reason: PointsReason; points: number }[],
  at: Date,
): Promise<void> {
  const points = awarded.reduce((sum, award) => sum + award.points, 0);
  const solved = awarded.filter((award) => award.reason === 'SOLVE').length;
  const rows = LEADERBOARD_PERIODS.flatMap((period) =>
    [track, 'ALL'].map(
      (board) =>
        Prisma.sql`(${userId}::uuid, ${period}, ${periodStart(period, at)}::date, ${board}, ${points}, ${solved}, ${at})`,
    ),
  );
  await tx.$executeRaw`
    INSERT INTO "LeaderboardTotal" ("userId", "period", "periodStart", "track", "points", "solvedCount", "lastAwardAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("userId", "period", "periodStart", "track") DO UPDATE SET
      "points" = "LeaderboardTotal"."points" + EXCLUDED."points",
      "solvedCount" = "LeaderboardTotal"."solvedCount" + EXCLUDED."solvedCount",
      "lastAwardAt" = GREATEST("LeaderboardTotal"."lastAwardAt", EXCLUDED."lastAwardAt")`;
}

/** Badges whose threshold the user's totals reached, and achievements, each at most once. */
async function awardBadgesAndAchievements(
  tx: Transaction,
  userId: string,
  facts: { firstSolve: boolean; streak: number; perfectRubric: boolean; runId: string; contentItemId: string },
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "UserBadge" ("id", "userId", "badgeId", "awardedAt")
    SELECT gen_random_uuid(), ${userId}::uuid, b."id", now()
    FROM "Badge" b,
      (SELECT
         (SELECT COALESCE(SUM("points"), 0) FROM "PointsLedger" WHERE "userId" = ${userId}::uuid) AS "points",
         (SELECT COUNT(*) FROM "UserContentProgress" WHERE "userId" = ${userId}::uuid AND "status" = 'SOLVED') AS "solved",
         (SELECT "longestStreak" FROM "User" WHERE "id" = ${userId}::uuid) AS "streak") totals
    WHERE (b."criterion" = 'POINTS' AND totals."points" >= b."threshold")
       OR (b."criterion" = 'SOLVED_COUNT' AND totals."solved" >= b."threshold")
       OR (b."criterion" = 'STREAK_DAYS' AND totals."streak" >= b."threshold")
    ON CONFLICT ("userId", "badgeId") DO NOTHING`;
  const achievements: { key: string; detail: Prisma.InputJsonObject }[] = [];
  if (facts.firstSolve) achievements.push({ key: 'FIRST_SOLVE', detail: { contentItemId: facts.contentItemId } });
  if (facts.streak >= 7) achievements.push({ key: 'STREAK_7', detail: { days: facts.streak } });
  if (facts.perfectRubric) {
    achievements.push({ key: 'PERFECT_RUBRIC', detail: { runId: facts.runId, contentItemId: facts.contentItemId } });
  }
  if (achievements.length) {
    await tx.achievement.createMany({
      data: achievements.map((achievement) => ({ userId, ...achievement })),
      skipDuplicates: true,
    });
  }
}

/** Counts a new attempt on the item in the user's progress (creating it IN_PROGRESS). */
export async function countAttemptStarted(tx: Transaction, userId: string, contentItemId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "UserContentProgress" ("id", "userId", "contentItemId", "status", "attemptsCount", "version", "updatedAt")
    VALUES (gen_random_uuid(), ${userId}::uuid, ${contentItemId}::uuid, 'IN_PROGRESS', 1, 1, now())
    ON CONFLICT ("userId", "contentItemId") DO UPDATE SET
      "attemptsCount" = "UserContentProgress"."attemptsCount" + 1,
      "version" = "UserContentProgress"."version" + 1,
      "updatedAt" = now()`;
}
