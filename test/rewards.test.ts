/**
 * What evaluations earn: points once per solve with a decaying time bonus, partial credit
 * for designs, progress and mastery (both of two concurrent evaluations count), streaks in
 * the learner's own time zone, badges and achievements once; end to end through the worker.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { claimRun } from '../api/evaluation/queue.js';
import { processRun } from '../api/evaluation/worker.js';
import { timeBonus } from '../api/rewards/outcome.js';
import { startAttempt } from './support/coach.js';
import { createUser, drainQueue, earn, evaluated, record } from './support/rewards.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const prisma = () => server.database.prisma;
const at = (iso: string) => new Date(iso);

const TWO_SUM_JS =
  'function twoSum(nums, target) {\n  const seen = new Map();\n  for (let j = 0; j < nums.length; j++) {\n    const i = seen.get(target - nums[j]);\n    if (i !== undefined) return [i, j];\n    seen.set(nums[j], j);\n  }\n  return [];\n}\n';

// No in-process workers: the tests run the worker steps themselves, so they decide who claims what.
beforeAll(async () => {
  server = await startTestServer({ env: { EVAL_CONCURRENCY: '0' } });
}, 120_000);

const workerDeps = () => server.app.runtime.evaluation;

/** Submits code on an attempt through the API; returns the queued run's id. */
async function submit(token: string, attemptId: string, code: string, idempotencyKey: string): Promise<string> {
  await server.query(
    token,
    'mutation ($input: SubmitSolutionInput!) { submitSolution(input: $input) { __typename } }',
    {
      input: { attemptId, language: 'JAVASCRIPT', code, idempotencyKey },
    },
  );
  const run = await prisma().evaluationRun.findFirstOrThrow({
    where: { submission: { idempotencyKey } },
    select: { id: true },
  });
  return run.id;
}

describe('the time bonus', () => {
  it('halves every estimated duration from the attempt’s start', () => {
    expect(timeBonus(50, 15, 0)).toBe(50);
    expect(timeBonus(50, 15, 15 * 60_000)).toBe(25);
    expect(timeBonus(50, 15, 30 * 60_000)).toBe(12);
    expect(timeBonus(50, 15, 10 * 3_600_000)).toBe(0);
    expect(timeBonus(0, 15, 0)).toBe(0);
  });
});

describe('points', () => {
  it('awards base points and the time bonus on the first solve only', async () => {
    const user = await createUser(prisma());
    const failing = await earn(prisma(), {
      userId: user.id,
      slug: 'two-sum',
      at: at('2026-03-02T10:00:00Z'),
      score: 0.4,
    });
    expect(failing.points).toBe(0);
    // Solved 15 minutes after the attempt started: 100 + half of the 50 bonus.
    const solved = await earn(prisma(), {
      userId: user.id,
      slug: 'two-sum',
      at: at('2026-03-02T10:15:00Z'),
      score: 1,
      startedMinutesBefore: 15,
    });
    expect(solved).toMatchObject({ points: 125, firstSolve: true });
    const again = await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-03T10:00:00Z'), score: 1 });
    expect(again).toMatchObject({ points: 0, firstSolve: false });

    const ledger = await prisma().pointsLedger.findMany({ where: { userId: user.id }, orderBy: { reason: 'asc' } });
    expect(ledger.map((row) => [row.reason, row.points])).toEqual([
      ['SOLVE', 100],
      ['TIME_BONUS', 25],
    ]);
    const progress = await prisma().userContentProgress.findFirstOrThrow({ where: { userId: user.id } });
    expect(progress).toMatchObject({
      status: 'SOLVED',
      bestScore: 1,
      lastScore: 1,
      points: 125,
      bestSubmissionId: solved.fixture.submission.id,
      solvedAt: at('2026-03-02T10:15:00Z'),
    });
    // 5 + 15 + 5 minutes from each attempt's start to its submission.
    expect(progress.timeSpentSeconds).toBe(25 * 60);
  });

  it('gives partial credit for a design as its best rubric score rises, never taking any back', async () => {
    const user = await createUser(prisma());
    const slug = 'design-a-url-shortener'; // 200 base points, solved from 0.7
    const first = await earn(prisma(), { userId: user.id, slug, at: at('2026-03-02T10:00:00Z'), score: 0.3 });
    const worse = await earn(prisma(), { userId: user.id, slug, at: at('2026-03-02T11:00:00Z'), score: 0.2 });
    const solved = await earn(prisma(), { userId: user.id, slug, at: at('2026-03-02T12:00:00Z'), score: 0.75 });
    const better = await earn(prisma(), { userId: user.id, slug, at: at('2026-03-02T13:00:00Z'), score: 0.9 });
    expect([first.points, worse.points, solved.points, better.points]).toEqual([60, 0, 90, 30]);
    expect(solved.firstSolve).toBe(true);
    const progress = await prisma().userContentProgress.findFirstOrThrow({ where: { userId: user.id } });
    expect(progress).toMatchObject({ status: 'SOLVED', points: 180, bestScore: 0.9, lastScore: 0.9 });
  });

  it('counts a run once when it is delivered twice (a worker presumed dead finishes late)', async () => {
    const token = await server.logIn('student2@demo.test');
    const attemptId = await startAttempt(server, token, 'binary-search');
    const item = await prisma().contentItem.findFirstOrThrow({ where: { slug: 'binary-search' } });
    const body = (await prisma().contentVersion.findUniqueOrThrow({ where: { id: item.currentVersionId ?? '' } }))
      .body as { referenceSolution: { JAVASCRIPT: string } };
    const runId = await submit(token, attemptId, body.referenceSolution.JAVASCRIPT, 'twice');
    // Delivered twice (the first worker's heartbeats stopped, so its job went to another), processed by both.
    expect((await claimRun(prisma(), runId, 'slow'))?.id).toBe(runId);
    expect((await claimRun(prisma(), runId, 'fast'))?.id).toBe(runId);
    await processRun(workerDeps(), runId, 'fast');
    await processRun(workerDeps(), runId, 'slow');
    expect((await prisma().evaluationRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('SUCCEEDED');

    const user = await prisma().user.findUniqueOrThrow({ where: { email: 'student2@demo.test' } });
    const ledger = await prisma().pointsLedger.findMany({ where: { userId: user.id, contentItemId: item.id } });
    expect(ledger.filter((row) => row.reason === 'SOLVE')).toHaveLength(1);
    const total = ledger.reduce((sum, row) => sum + row.points, 0);
    const board = await prisma().leaderboardTotal.findFirstOrThrow({
      where: { userId: user.id, period: 'ALL_TIME', track: 'ALL' },
    });
    expect(board).toMatchObject({ points: total, solvedCount: 1 });
    const activity = await prisma().dailyActivity.findMany({ where: { userId: user.id } });
    expect(activity.reduce((sum, day) => sum + day.submissions, 0)).toBe(1);
  });
});

describe('progress and mastery', () => {
  it('counts both of two evaluations that finish at once for one student', async () => {
    const user = await createUser(prisma());
    const [a, b] = await Promise.all([
      evaluated(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-04T09:00:00Z'), score: 1 }),
      evaluated(prisma(), { userId: user.id, slug: 'group-anagrams', at: at('2026-03-04T09:00:01Z'), score: 1 }),
    ]);
    const [c, d] = await Promise.all([
      evaluated(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-04T09:01:00Z'), score: 0.6 }),
      evaluated(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-04T09:01:01Z'), score: 0.8 }),
    ]);
    const results = await Promise.all([
      record(prisma(), a, { evidence: [5, 5] }),
      record(prisma(), b, { evidence: [6, 6] }),
      record(prisma(), c, { evidence: [3, 5] }),
      record(prisma(), d, { evidence: [4, 5] }),
    ]);
    expect(results.map((r) => r.points)).toEqual([expect.any(Number), expect.any(Number), 0, 0]);

    const progress = await prisma().userContentProgress.findMany({
      where: { userId: user.id },
      include: { contentItem: { select: { slug: true } } },
    });
    const twoSum = progress.find((row) => row.contentItem.slug === 'two-sum');
    expect(twoSum).toMatchObject({ status: 'SOLVED', bestScore: 1 });
    // Three evaluations on two-sum, each counted: three versions after the first insert.
    expect(twoSum?.version).toBe(3);
    const mastery = await prisma().userMastery.findFirstOrThrow({ where: { userId: user.id, pattern: 'HASHING' } });
    expect(mastery.evidenceCount).toBe(5 + 6 + 3 + 4);
    // Two of the three HASHING items solved.
    expect(mastery.mastery).toBeCloseTo(2 / 3, 5);
    const [day] = await prisma().dailyActivity.findMany({ where: { userId: user.id } });
    expect(day).toMatchObject({ submissions: 4, solved: 2, points: results[0].points + results[1].points });
    const totals = await prisma().leaderboardTotal.findFirstOrThrow({
      where: { userId: user.id, period: 'ALL_TIME', track: 'ALL' },
    });
    expect(totals).toMatchObject({ points: results[0].points + results[1].points, solvedCount: 2 });
  });
});

describe('streaks', () => {
  it('follows the learner’s local days, not UTC days', async () => {
    // Auckland is UTC+13 in March: 11:30 UTC is already the next local day.
    const user = await createUser(prisma(), { timeZone: 'Pacific/Auckland' });
    const streak = async () =>
      prisma().user.findUniqueOrThrow({
        where: { id: user.id },
        select: { currentStreak: true, longestStreak: true, lastActiveOn: true },
      });
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-01T10:30:00Z'), score: 0 }); // Mar 1 local
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-01T11:30:00Z'), score: 0 }); // Mar 2 local
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-02T12:00:00Z'), score: 0 }); // Mar 3 local
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-02T12:30:00Z'), score: 0 }); // Mar 3 again
    expect(await streak()).toEqual({ currentStreak: 3, longestStreak: 3, lastActiveOn: at('2026-03-03T00:00:00Z') });
    // A missed local day starts over; the longest streak stays.
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-03-04T12:00:00Z'), score: 0 }); // Mar 5 local
    expect(await streak()).toMatchObject({ currentStreak: 1, longestStreak: 3 });
    const days = await prisma().dailyActivity.findMany({ where: { userId: user.id }, orderBy: { day: 'asc' } });
    expect(days.map((day) => [day.day.toISOString().slice(0, 10), day.submissions])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 1],
      ['2026-03-03', 2],
      ['2026-03-05', 1],
    ]);
  });

  it('joins a day recorded late to its neighbours', async () => {
    const user = await createUser(prisma());
    const streak = () =>
      prisma().user.findUniqueOrThrow({ where: { id: user.id }, select: { currentStreak: true, longestStreak: true } });
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-04-06T09:00:00Z'), score: 0 }); // Monday
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-04-08T09:00:00Z'), score: 0 }); // Wednesday
    expect(await streak()).toEqual({ currentStreak: 1, longestStreak: 1 });
    // Tuesday's submission is evaluated last (it waited in the queue): Monday to Wednesday is 3 days.
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-04-07T09:00:00Z'), score: 0 });
    expect(await streak()).toEqual({ currentStreak: 3, longestStreak: 3 });
  });

  it('earns the 7-day streak achievement and badge once', async () => {
    const user = await createUser(prisma());
    for (let day = 1; day <= 8; day++) {
      await earn(prisma(), {
        userId: user.id,
        slug: 'two-sum',
        at: new Date(Date.UTC(2026, 3, day, 9)),
        score: 0,
      });
    }
    const achievements = await prisma().achievement.findMany({ where: { userId: user.id } });
    expect(achievements.map((a) => a.key)).toEqual(['STREAK_7']);
    const badges = await prisma().userBadge.findMany({ where: { userId: user.id }, include: { badge: true } });
    expect(badges.map((b) => b.badge.key)).toEqual(['STREAK_7']);
  });
});

describe('badges and achievements', () => {
  it('awards each badge once its threshold is crossed, and the first solve and a perfect rubric once', async () => {
    const user = await createUser(prisma());
    const slugs = ['two-sum', 'group-anagrams', 'binary-search', 'design-a-url-shortener'];
    for (const [index, slug] of slugs.entries()) {
      await earn(prisma(), { userId: user.id, slug, at: new Date(Date.UTC(2026, 4, 1, index)), score: 1 });
    }
    await earn(prisma(), { userId: user.id, slug: 'two-sum', at: at('2026-05-02T00:00:00Z'), score: 1 });
    const badges = await prisma().userBadge.findMany({ where: { userId: user.id }, include: { badge: true } });
    const points = (await prisma().pointsLedger.findMany({ where: { userId: user.id } })).reduce(
      (sum, row) => sum + row.points,
      0,
    );
    expect(points).toBeGreaterThanOrEqual(500);
    expect(badges.map((b) => b.badge.key).sort()).toEqual(['FIRST_SOLVE', 'POINTS_500']);
    const achievements = await prisma().achievement.findMany({ where: { userId: user.id } });
    expect(achievements.map((a) => a.key).sort()).toEqual(['FIRST_SOLVE', 'PERFECT_RUBRIC']);
  });

  it('shows the viewer their points, streak, badges, achievements and mastery after a real solve', async () => {
    const token = await server.logIn('student3@demo.test');
    const attemptId = await startAttempt(server, token, 'two-sum');
    await submit(token, attemptId, 'function twoSum() { return [0, 1]; }', 'rewards-fail');
    await drainQueue(prisma(), workerDeps());
    await submit(token, attemptId, TWO_SUM_JS, 'rewards-pass');
    await drainQueue(prisma(), workerDeps());
    const data = await server.query<{
      viewer: {
        points: number;
        solvedCount: number;
        currentStreak: number;
        longestStreak: number;
        badges: { badge: { key: string } }[];
        achievements: { key: string }[];
        mastery: { track: string; pattern: string; mastery: number }[];
      };
      contentItem: { viewerProgress: { status: string; attemptsCount: number; points: number } };
    }>(
      token,
      `{ viewer { points solvedCount currentStreak longestStreak badges { badge { key } } achievements { key }
          mastery { track pattern mastery } }
         contentItem(slug: "two-sum") { viewerProgress { status attemptsCount points } } }`,
    );
    expect(data.viewer.points).toBeGreaterThanOrEqual(100);
    expect(data.viewer.points).toBeLessThanOrEqual(150);
    expect(data.viewer).toMatchObject({
      solvedCount: 1,
      currentStreak: 1,
      longestStreak: 1,
      badges: [{ badge: { key: 'FIRST_SOLVE' } }],
      achievements: [{ key: 'FIRST_SOLVE' }],
      mastery: [{ track: 'CODING_INTERVIEW', pattern: 'HASHING' }],
    });
    expect(data.contentItem.viewerProgress).toEqual({
      status: 'SOLVED',
      attemptsCount: 1,
      points: data.viewer.points,
    });
  });
});
