/**
 * `npm run bench`: runs the benchmarks on a fresh database (PGlite in memory, or a new
 * database on the PostgreSQL server of DATABASE_URL, dropped afterwards) and writes
 * BENCHMARKS.md, every figure beside a baseline measured in the same run.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { applyMigrations } from '../api/db/migrations.js';
import { openDatabase } from '../api/db.js';
import { createPostgresDatabase } from '../test/support/database.js';
import { benchLeaderboard, type LeaderboardReport, type Timing } from './leaderboard.js';

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const count = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const users = count('BENCH_USERS', 100_000);
const ledgerRows = count('BENCH_LEDGER_ROWS', 1_000_000);
const repetitions = count('BENCH_REPETITIONS', 20);

const serverUrl = process.env.DATABASE_URL;
const created = serverUrl ? await createPostgresDatabase(serverUrl) : null;
const database = await openDatabase({ databaseUrl: created?.url, pgliteDir: 'memory://' });
const mode = created ? 'PostgreSQL (DATABASE_URL, a fresh database)' : 'PGlite in memory';
let report: LeaderboardReport;
try {
  log(`database: ${mode}`);
  await applyMigrations(database.adapterFactory, { onProgress: (line) => log(`migrate: ${line}`) });
  report = await benchLeaderboard(database, { users, ledgerRows, repetitions, log });
} finally {
  await database.close();
  await created?.drop();
}

const ms = (timing: Timing) => `${timing.p50.toFixed(1)} / ${timing.p95.toFixed(1)}`;
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench`; every figure is set beside a baseline measured in the same run.',
  '',
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; database: ${mode}; ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '## Leaderboard',
  '',
  `${report.users.toLocaleString('en')} users in 10 organizations, ${report.ledgerRows.toLocaleString('en')} ledger rows over 60 days (seeded in ${report.seedSeconds.toFixed(0)} s). The app reads the per-user totals it keeps beside the ledger (\`LeaderboardTotal\`, indexed by period, window start, track and points) and ranks with one count per page; the baseline sums the ledger for the same answer. Milliseconds, median / p95 over ${repetitions} runs.`,
  '',
  '| query | app (ms) | ledger baseline (ms) | app / baseline |',
  '| --- | ---: | ---: | ---: |',
  ...report.pairs.map(
    (pair) =>
      `| ${pair.query} | ${ms(pair.app)} | ${ms(pair.baseline)} | ${(pair.app.p50 / Math.max(pair.baseline.p50, 1e-6)).toFixed(3)} |`,
  ),
  '',
];
await writeFile('BENCHMARKS.md', lines.join('\n'));
log('wrote BENCHMARKS.md');
console.log(lines.join('\n'));
