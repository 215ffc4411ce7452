/**
 * Runs complete exactly once: a slow worker whose run was taken over cannot count it again;
 * a run the platform cannot evaluate ends FAILED, not gradable. (A worker process killed with
 * SIGKILL mid-run is in scale-out.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { claimRun } from '../api/evaluation/queue.js';
import { EVALUATION_QUEUE, openJobQueue } from '../api/evaluation/jobs.js';
import { processRun, startWorkerPool } from '../api/evaluation/worker.js';
import { createExecutor } from '../api/execution/index.js';
import { createLogger } from '../api/logger.js';
import { startTestServer, type TestServer } from './support/server.js';
import { publishedItem } from './support/content.js';
import { createUser, FIXTURE_PASSWORD } from './support/rewards.js';

let server: TestServer;
const logger = createLogger('warn');

/** A student of its own for each test, so that no test sees another's attempts or progress. */
async function newStudent(): Promise<{ userId: string; token: string }> {
  const { prisma } = server.database;
  const organization = await prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
  const user = await createUser(prisma, { organizationId: organization.id });
  return { userId: user.id, token: await server.logIn(user.email, FIXTURE_PASSWORD) };
}

/** Submits `code` for two-sum as `student` and returns the run's database id. */
async function submit(student: { token: string }, code: string, key: string): Promise<string> {
  const item = await server.query<{ contentItem: { id: string } }>(
    student.token,
    '{ contentItem(slug: "two-sum") { id } }',
  );
  const started = await server.query<{ startAttempt: { id: string } }>(
    student.token,
    'mutation ($input: StartAttemptInput!) { startAttempt(input: $input) { ... on Attempt { id } } }',
    { input: { contentItemId: item.contentItem.id } },
  );
  await server.query(
    student.token,
    'mutation ($input: SubmitSolutionInput!) { submitSolution(input: $input) { __typename } }',
    { input: { attemptId: started.startAttempt.id, language: 'JAVASCRIPT', code, idempotencyKey: key } },
  );
  const run = await server.database.prisma.evaluationRun.findFirstOrThrow({
    where: { submission: { idempotencyKey: key } },
  });
  return run.id;
}

beforeAll(async () => {
  server = await startTestServer();
});

describe('exactly once', () => {
  it('does not let a worker whose run was taken over record results or count the run again', async () => {
    const student = await newStudent();
    const { prisma } = server.database;
    const runId = await submit(student, 'function twoSum() { return [0, 1]; }', 'late-worker');
    const deps = server.app.runtime.evaluation;
    expect((await claimRun(prisma, runId, 'slow-worker'))?.id).toBe(runId);
    // Its heartbeats stop (it is presumed dead); the job goes to another worker, which finishes the run.
    expect((await claimRun(prisma, runId, 'fast-worker'))?.id).toBe(runId);
    // The first worker was only slow: its first result is refused and it stops.
    await processRun(deps, runId, 'slow-worker');
    expect(await prisma.codingTestResult.count({ where: { runId } })).toBe(0);
    await processRun(deps, runId, 'fast-worker');
    // Finishing late adds nothing either.
    await processRun(deps, runId, 'slow-worker');

    const run = await prisma.evaluationRun.findUniqueOrThrow({
      where: { id: runId },
      include: { events: true, testResults: true },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.events.filter((e) => e.type === 'COMPLETED')).toHaveLength(1);
    expect(run.events.filter((e) => e.type === 'TEST_CASE_FINISHED')).toHaveLength(5);
    expect(run.testResults).toHaveLength(5);
    const progress = await prisma.userContentProgress.findFirstOrThrow({
      where: { userId: student.userId },
    });
    // One update when the attempt started, one when the run completed: the late worker added none.
    expect(progress.version).toBe(2);
    expect(progress.attemptsCount).toBe(1);
  });

  it('ends a run FAILED (ABANDONED) once its job has used up its retries, so it does not wait forever', async () => {
    const student = await newStudent();
    const { prisma } = server.database;
    // No retries and a 10 s heartbeat (set before the submission: jobs take the queue's settings).
    const jobs = await openJobQueue(server.database, { heartbeatSeconds: 10, retryLimit: 0, logger });
    try {
      const runId = await submit(student, 'function twoSum() { return [0, 1]; }', 'abandoned');
      // A worker takes the job (with the earlier tests' jobs, whose runs have ended), then dies
      // at once: no heartbeat, no result.
      const taken = await jobs.take(EVALUATION_QUEUE, 10);
      expect(taken.map((job) => job.runId)).toContain(runId);
      expect(await claimRun(prisma, runId, 'dead-worker')).not.toBeNull();
      const pool = await startWorkerPool(server.app.runtime.evaluation, jobs, {
        concurrency: 1,
      });
      try {
        for (let i = 0; i < 400; i += 1) {
          if ((await prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId } })).status !== 'RUNNING') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await pool.stop();
      }
      const run = await prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId }, include: { events: true } });
      expect(run).toMatchObject({ status: 'FAILED', gradable: false, summary: { reason: 'ABANDONED' } });
      expect(run.events.find((event) => event.type === 'FAILED')?.payload).toEqual({
        reason: 'ABANDONED',
        gradable: false,
      });
    } finally {
      await jobs.stop();
    }
  }, 60_000);

  it('gives a waiting run without a job (queued before an upgrade) its job when workers start', async () => {
    const student = await newStudent();
    const { prisma } = server.database;
    const runId = await submit(
      student,
      'function twoSum(nums, target) { return nums.length ? [0, 1] : []; }',
      'no-job',
    );
    // As if it had been queued before evaluation jobs went through pg-boss.
    const before = await openJobQueue(server.database, { heartbeatSeconds: 30, retryLimit: 3, logger });
    expect(await before.findJob(EVALUATION_QUEUE, runId)).toEqual({ runId });
    await before.deleteJob(EVALUATION_QUEUE, runId);
    expect(await before.findJob(EVALUATION_QUEUE, runId)).toBeNull();
    await before.stop();

    const jobs = await openJobQueue(server.database, { heartbeatSeconds: 30, retryLimit: 3, logger });
    const pool = await startWorkerPool(server.app.runtime.evaluation, jobs, {
      concurrency: 1,
    });
    try {
      for (let i = 0; i < 200; i += 1) {
        const { status } = await prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
        if (status !== 'QUEUED' && status !== 'RUNNING') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await pool.stop();
      await jobs.stop();
    }
    expect((await prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('SUCCEEDED');
  }, 60_000);

  it('ends a run FAILED and not gradable when no sandbox can be set up, without touching progress', async () => {
    const student = await newStudent();
    const { prisma } = server.database;
    const runId = await submit(student, 'function twoSum() { return [0, 1]; }', 'no-sandbox');
    const executor = createExecutor(
      { EXECUTOR: 'sandbox' },
      { mechanism: 'bubblewrap', bwrapPath: '/nonexistent/bwrap' },
    );
    const deps = { ...server.app.runtime.evaluation, executor };
    const progressBefore = await prisma.userContentProgress.findMany({
      where: { userId: student.userId },
    });
    expect((await claimRun(prisma, runId, 'worker-without-sandbox'))?.id).toBe(runId);
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
    expect(await prisma.userContentProgress.findMany({ where: { userId: student.userId } })).toEqual(progressBefore);
  });

  it('applies a content item’s own limits: a tighter time limit ends a slow solution with TIME_LIMIT', async () => {
    const { prisma } = server.database;
    const twoSum = await prisma.contentVersion.findFirstOrThrow({ where: { contentItem: { slug: 'two-sum' } } });
    const body = { ...(twoSum.body as Record<string, never>), limits: { cpuMs: 1000, wallMs: 1500 } };
    const { item, version } = await publishedItem(
      prisma,
      { slug: 'two-sum-fast', title: 'Two Sum, fast', summary: 'Tight limits.' },
      body,
    );
    const student = await newStudent();
    const user = { id: student.userId };
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
    const deps = server.app.runtime.evaluation;
    expect((await claimRun(prisma, run.id, 'limits-worker'))?.id).toBe(run.id);
    const started = Date.now();
    await processRun(deps, run.id, 'limits-worker');
    const results = await prisma.codingTestResult.findMany({ where: { runId: run.id } });
    const verdicts = [...results].sort((a, b) => a.testIndex - b.testIndex).map((r) => r.verdict);
    // The first test reaches the item's limit (not the default 5 s); a time-out ends the run.
    expect(verdicts).toEqual(['TIME_LIMIT', 'NOT_RUN', 'NOT_RUN', 'NOT_RUN', 'NOT_RUN']);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
