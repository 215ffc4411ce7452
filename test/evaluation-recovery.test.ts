/**
 * Runs complete exactly once: a slow worker that lost its lease cannot count a run again,
 * and a worker process killed with SIGKILL mid-run leaves a run another worker finishes.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimRun } from '../api/evaluation/queue.js';
import { parseEnv } from '../api/env.js';
import { createWorkerDeps, processRun, startWorkerPool } from '../api/evaluation/worker.js';
import { createExecutor } from '../api/execution/index.js';
import { createLogger } from '../api/logger.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let token = '';
const logger = createLogger('warn');

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await server.graphql<T>(query, variables, { authorization: `Bearer ${token}` });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Submits `code` for two-sum and returns the run's database id. */
async function submit(code: string, key: string): Promise<string> {
  const item = await gql<{ contentItem: { id: string } }>('{ contentItem(slug: "two-sum") { id } }');
  const started = await gql<{ startAttempt: { id: string } }>(
    'mutation ($input: StartAttemptInput!) { startAttempt(input: $input) { ... on Attempt { id } } }',
    { input: { contentItemId: item.contentItem.id } },
  );
  await gql('mutation ($input: SubmitSolutionInput!) { submitSolution(input: $input) { __typename } }', {
    input: { attemptId: started.startAttempt.id, language: 'JAVASCRIPT', code, idempotencyKey: key },
  });
  const run = await server.database.prisma.evaluationRun.findFirstOrThrow({
    where: { submission: { idempotencyKey: key } },
  });
  return run.id;
}

const SLOW_TWO_SUM = `function twoSum(nums, target) {
  const until = Date.now() + 700;
  while (Date.now() < until) {}
  for (let i = 0; i < nums.length; i++) for (let j = i + 1; j < nums.length; j++) if (nums[i] + nums[j] === target) return [i, j];
  return [];
}
`;

beforeAll(async () => {
  server = await startTestServer();
  const { body } = await server.graphql<{ logIn: { token: string } }>(
    'mutation { logIn(input: { email: "student2@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
  );
  token = body.data?.logIn.token ?? '';
});
afterAll(() => server?.stop());

describe('exactly once', () => {
  it('does not count a run twice when a worker that lost its lease finishes late', async () => {
    const { prisma } = server.database;
    const runId = await submit('function twoSum() { return [0, 1]; }', 'late-worker');
    const deps = createWorkerDeps({ prisma, env: parseEnv({ EVAL_LEASE_MS: '60000' }), logger });
    expect((await claimRun(prisma, 'slow-worker', 60_000))?.id).toBe(runId);
    // Its lease runs out; another worker takes the run over and finishes it.
    await prisma.evaluationRun.update({ where: { id: runId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    expect((await claimRun(prisma, 'fast-worker', 60_000))?.id).toBe(runId);
    await processRun(deps, runId, 'fast-worker');
    await processRun(deps, runId, 'slow-worker');

    const run = await prisma.evaluationRun.findUniqueOrThrow({
      where: { id: runId },
      include: { events: true, testResults: true },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.events.filter((e) => e.type === 'COMPLETED')).toHaveLength(1);
    expect(run.testResults).toHaveLength(5);
    const progress = await prisma.userContentProgress.findFirstOrThrow({
      where: { user: { email: 'student2@demo.test' } },
    });
    // One update when the attempt started, one when the run completed: the late worker added none.
    expect(progress.version).toBe(2);
    expect(progress.attemptsCount).toBe(1);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'finishes a run once after its worker process is killed with SIGKILL mid-run',
    async () => {
      const { prisma } = server.database;
      const runId = await submit(SLOW_TWO_SUM, 'killed-worker');
      const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
      const worker = spawn(process.execPath, [tsxCli, 'api/worker.ts'], {
        cwd: new URL('..', import.meta.url).pathname,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DATABASE_URL: server.database.url ?? '',
          EVAL_CONCURRENCY: '1',
          EVAL_LEASE_MS: '2000',
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
        detached: true,
      });
      const exited = new Promise((resolve) => worker.on('exit', resolve));
      // Wait until the worker is mid-run (some tests done, not all), then kill it outright.
      for (let i = 0; i < 200; i += 1) {
        const finished = await prisma.codingTestResult.count({ where: { runId } });
        if (finished >= 1) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      process.kill(-(worker.pid ?? 0), 'SIGKILL');
      await exited;
      expect(await prisma.codingTestResult.count({ where: { runId } })).toBeLessThan(5);
      expect((await prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('RUNNING');

      const pool = startWorkerPool(createWorkerDeps({ prisma, env: parseEnv({ EVAL_LEASE_MS: '2000' }), logger }), {
        concurrency: 1,
        pollMs: 200,
      });
      try {
        for (let i = 0; i < 300; i += 1) {
          const run = await prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
          if (run.status !== 'RUNNING') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await pool.stop();
      }
      const run = await prisma.evaluationRun.findUniqueOrThrow({
        where: { id: runId },
        include: { events: true, testResults: true },
      });
      expect(run).toMatchObject({ status: 'SUCCEEDED', score: 1, claimCount: 2 });
      expect(run.testResults.map((r) => r.testIndex).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(run.events.filter((e) => e.type === 'COMPLETED')).toHaveLength(1);
      const sequences = run.events.map((e) => e.sequence).sort((a, b) => a - b);
      expect(sequences).toEqual(sequences.map((_, i) => i + 1));
    },
    60_000,
  );

  it('ends a run FAILED and not gradable when no sandbox can be set up, without touching progress', async () => {
    const { prisma } = server.database;
    const runId = await submit('function twoSum() { return [0, 1]; }', 'no-sandbox');
    const executor = createExecutor(
      { EXECUTOR: 'sandbox' },
      { mechanism: 'bubblewrap', bwrapPath: '/nonexistent/bwrap' },
    );
    const deps = createWorkerDeps({ prisma, env: parseEnv({}), logger, executor });
    const progressBefore = await prisma.userContentProgress.findMany({
      where: { user: { email: 'student2@demo.test' } },
    });
    expect((await claimRun(prisma, 'worker-without-sandbox', 60_000))?.id).toBe(runId);
    await processRun(deps, runId, 'worker-without-sandbox');
    const run = await prisma.evaluationRun.findUniqueOrThrow({
      where: { id: runId },
      include: { events: true, testResults: true },
    });
    expect(run).toMatchObject({ status: 'FAILED', gradable: false, summary: { reason: 'SANDBOX_UNAVAILABLE' } });
    expect(run.testResults).toEqual([]);
    expect(run.events.find((e) => e.type === 'FAILED')?.payload).toEqual({
      reason: 'SANDBOX_UNAVAILABLE',
      gradable: false,
    });
    expect(await prisma.userContentProgress.findMany({ where: { user: { email: 'student2@demo.test' } } })).toEqual(
      progressBefore,
    );
  });

  it('applies a content item’s own limits: a tighter time limit ends a slow solution with TIME_LIMIT', async () => {
    const { prisma } = server.database;
    const twoSum = await prisma.contentVersion.findFirstOrThrow({ where: { contentItem: { slug: 'two-sum' } } });
    const body = { ...(twoSum.body as Record<string, unknown>), limits: { cpuMs: 1000, wallMs: 1500 } };
    const item = await prisma.contentItem.create({
      data: {
        slug: 'two-sum-fast',
        track: 'CODING_INTERVIEW',
        title: 'Two Sum, fast',
        summary: 'Tight limits.',
        difficulty: 'EASY',
        pattern: 'HASHING',
        rung: 1,
        tags: [],
        estimatedMinutes: 5,
        basePoints: 10,
        timeBonusPoints: 0,
      },
    });
    const version = await prisma.contentVersion.create({
      data: { contentItemId: item.id, version: 1, status: 'PUBLISHED', publishedAt: new Date(), body },
    });
    await prisma.contentItem.update({ where: { id: item.id }, data: { currentVersionId: version.id } });
    const user = await prisma.user.findUniqueOrThrow({ where: { email: 'student2@demo.test' } });
    const attempt = await prisma.attempt.create({
      data: { userId: user.id, contentItemId: item.id, contentVersionId: version.id },
    });
    const submission = await prisma.submission.create({
      data: {
        attemptId: attempt.id,
        userId: user.id,
        language: 'JAVASCRIPT',
        code: 'function twoSum() { const until = Date.now() + 3000; while (Date.now() < until) {} return [0, 1]; }',
        idempotencyKey: 'tight-limits',
        payloadHash: 'h',
      },
    });
    const run = await prisma.evaluationRun.create({
      data: { submissionId: submission.id, attemptId: attempt.id, kind: 'CODING_TESTS' },
    });
    const deps = createWorkerDeps({ prisma, env: parseEnv({}), logger });
    expect((await claimRun(prisma, 'limits-worker', 60_000))?.id).toBe(run.id);
    const started = Date.now();
    await processRun(deps, run.id, 'limits-worker');
    const results = await prisma.codingTestResult.findMany({ where: { runId: run.id } });
    expect(results.map((r) => r.verdict)).toEqual(results.map(() => 'TIME_LIMIT'));
    expect(results).toHaveLength(5);
    expect(Date.now() - started).toBeLessThan(5 * 3000);
  });
});
