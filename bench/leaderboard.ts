/**
 * Leaderboard benchmark: seeds BENCH_USERS users (default 100k) in 10 organizations and
 * BENCH_LEDGER_ROWS ledger rows (default 1M) over the last 60 days, with the totals the app
 * keeps beside the ledger, then times the app's own top-100 and viewer-rank reads against
 * the baseline of summing the ledger for the same answer, in the same run.
 */
import { performance } from 'node:perf_hooks';
import type { Viewer } from '../api/auth/viewer.js';
import type { Database } from '../api/db.js';
import { boardPage, resolveBoard, viewerRow } from '../api/leaderboard/board.js';
import { type LeaderboardPeriod, periodStart } from '../api/leaderboard/periods.js';

export interface Timing {
  name: string;
  /** Milliseconds, median and 95th percentile over the repetitions. */
  p50: number;
  p95: number;
}

export interface LeaderboardReport {
  users: number;
  ledgerRows: number;
  seedSeconds: number;
  /** Pairs: the app's read and the ledger baseline for the same answer. */
  pairs: { query: string; app: Timing; baseline: Timing }[];
}

const ORGANIZATIONS = 10;

async function time(name: string, repetitions: number, run: () => Promise<unknown>): Promise<Timing> {
  await run(); // warm up caches and plans
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { name, p50: at(0.5), p95: at(0.95) };
}

/** Seeds users, organizations, ledger rows and their totals with set-based SQL. */
async function seed(db: Database, users: number, ledgerRows: number, log: (line: string) => void): Promise<void> {
  const { prisma } = db;
  log(`seeding ${ORGANIZATIONS} organizations and ${users.toLocaleString('en')} users…`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Organization" ("id", "slug", "name", "updatedAt")
    SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'bench-org-' || g, 'Bench org ' || g, now()
    FROM generate_series(1, ${ORGANIZATIONS}) g`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "User" ("id", "email", "name", "updatedAt", "leaderboardOptOut")
    SELECT ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'bench-' || g || '@bench.test', 'Learner ' || g, now(), g % 50 = 0
    FROM generate_series(1, ${users}) g`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Membership" ("id", "userId", "organizationId", "role")
    SELECT gen_random_uuid(), ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid,
           ('00000000-0000-4000-8000-' || lpad((1 + g % ${ORGANIZATIONS})::text, 12, '0'))::uuid, 'STUDENT'
    FROM generate_series(1, ${users}) g`);
  const batch = 100_000;
  for (let done = 0; done < ledgerRows; done += batch) {
    const size = Math.min(batch, ledgerRows - done);
    // Skewed activity: low user numbers earn more often. Points in 10..200, over 60 days.
    await prisma.$executeRawUnsafe(`
      INSERT INTO "PointsLedger" ("id", "userId", "track", "reason", "points", "awardKey", "createdAt")
      SELECT gen_random_uuid(),
             ('10000000-0000-4000-8000-' || lpad((1 + floor(${users} * power(random(), 2)))::int::text, 12, '0'))::uuid,
             (ARRAY['CODING_INTERVIEW','DEBUG_LAB','SYSTEM_DESIGN'])[1 + (g % 3)]::"Track",
             (CASE WHEN g % 3 = 0 THEN 'TIME_BONUS' ELSE 'SOLVE' END)::"PointsReason",
             10 + ((g::bigint * 7919) % 191)::int,
             'bench:' || g,
             now() - (random() * interval '60 days')
      FROM generate_series(${done + 1}, ${done + size}) g`);
    log(`ledger: ${(done + size).toLocaleString('en')}/${ledgerRows.toLocaleString('en')} rows`);
  }
  log('leaderboard totals (as the app keeps them, per award) …');
  for (const period of ['ALL_TIME', 'MONTH', 'WEEK'] as const) {
    const bucket =
      period === 'ALL_TIME'
        ? `DATE '1970-01-01'`
        : period === 'MONTH'
          ? `date_trunc('month', l."createdAt" AT TIME ZONE 'UTC')::date`
          : `date_trunc('week', l."createdAt" AT TIME ZONE 'UTC')::date`;
    for (const track of ['l."track"::text', `'ALL'`]) {
      await prisma.$executeRawUnsafe(`
        INSERT INTO "LeaderboardTotal" ("userId", "period", "periodStart", "track", "points", "solvedCount", "lastAwardAt")
        SELECT l."userId", '${period}', ${bucket}, ${track}, SUM(l."points"),
               COUNT(*) FILTER (WHERE l."reason" = 'SOLVE'), MAX(l."createdAt")
        FROM "PointsLedger" l WHERE l."awardKey" LIKE 'bench:%' GROUP BY 1, 2, 3, 4`);
    }
    log(`totals: ${period}`);
  }
  await prisma.$executeRawUnsafe('ANALYZE');
}

/** Runs the benchmark on an empty, migrated database. */
export async function benchLeaderboard(
  db: Database,
  options: { users: number; ledgerRows: number; repetitions: number; log: (line: string) => void },
): Promise<LeaderboardReport> {
  const { prisma } = db;
  const started = performance.now();
  await seed(db, options.users, options.ledgerRows, options.log);
  const seedSeconds = (performance.now() - started) / 1000;

  // The viewer: a learner in the middle of the table.
  const viewerNumber = Math.floor(options.users / 2);
  const viewerId = `10000000-0000-4000-8000-${String(viewerNumber).padStart(12, '0')}`;
  const membership = await prisma.membership.findFirstOrThrow({ where: { userId: viewerId } });
  const viewer: Viewer = { userId: viewerId, roles: new Map([[membership.organizationId, 'STUDENT']]) };
  const pairs: LeaderboardReport['pairs'] = [];

  const ledgerSince = (period: LeaderboardPeriod) =>
    period === 'ALL_TIME' ? `DATE '1970-01-01'` : `'${periodStart(period, new Date()).toISOString()}'::timestamptz`;
  const ledgerTotals = (period: LeaderboardPeriod, organization: boolean) => `
    SELECT l."userId", SUM(l."points") AS "points", COUNT(*) FILTER (WHERE l."reason" = 'SOLVE') AS "solved",
           MAX(l."createdAt") AS "last"
    FROM "PointsLedger" l
    ${organization ? `JOIN "Membership" m ON m."userId" = l."userId" AND m."organizationId" = '${membership.organizationId}'` : ''}
    WHERE l."createdAt" >= ${ledgerSince(period)}
    GROUP BY l."userId"`;

  for (const [scope, period] of [
    ['GLOBAL', 'ALL_TIME'],
    ['GLOBAL', 'WEEK'],
    ['ORGANIZATION', 'MONTH'],
  ] as const) {
    const board = await resolveBoard(prisma, viewer, { scope, period });
    const organization = scope === 'ORGANIZATION';
    options.log(`timing ${scope} ${period}…`);
    pairs.push({
      query: `top 100, ${scope.toLowerCase()} ${period.toLowerCase().replace('_', '-')}`,
      app: await time('app', options.repetitions, () => boardPage(prisma, viewer, board, { offset: 0, limit: 100 })),
      baseline: await time('ledger', options.repetitions, () =>
        prisma.$queryRawUnsafe(`
          SELECT t.*, u."name", RANK() OVER (ORDER BY t."points" DESC) AS "rank"
          FROM (${ledgerTotals(period, organization)}) t JOIN "User" u ON u."id" = t."userId"
          ORDER BY t."points" DESC, t."last", t."userId" LIMIT 100`),
      ),
    });
    pairs.push({
      query: `viewer rank, ${scope.toLowerCase()} ${period.toLowerCase().replace('_', '-')}`,
      app: await time('app', options.repetitions, () => viewerRow(prisma, viewer, board)),
      baseline: await time('ledger', options.repetitions, () =>
        prisma.$queryRawUnsafe(`
          WITH t AS (${ledgerTotals(period, organization)})
          SELECT 1 + COUNT(*) AS "rank" FROM t
          WHERE t."points" > (SELECT "points" FROM t WHERE "userId" = '${viewerId}')`),
      ),
    });
  }
  return { users: options.users, ledgerRows: options.ledgerRows, seedSeconds, pairs };
}
