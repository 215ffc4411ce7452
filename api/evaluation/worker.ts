/**
 * Evaluation workers: take a run's job from pg-boss (jobs.ts), evaluate the run (tests in the
 * sandbox, one event per test), and finish it — score, summary, progress and the terminal
 * event in one transaction, guarded by the run's owner, so a run delivered twice completes and
 * counts once. A run whose worker died is delivered again and resumes after the tests it finished.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type CodingBody,
  contentBodySchema,
  type DebugLabBody,
  type Language,
  type SystemDesignBody,
} from '../content/body.js';
import type { PrismaClient } from '../db.js';
import { type Executor, itemLimits, SandboxUnavailableError, type TestRunResult } from '../execution/executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub.js';
import { checkDiagnosis, debugScore } from './debug.js';
import { announce, appendEvent, shownVerdict } from './events.js';
import { anthropicClientFromEnv } from '../llm/anthropic.js';
import { LlmError, LlmOutputError, type LlmClient } from '../llm/client.js';
import { recordInteractions } from '../llm/record.js';
import { createBuiltinRubricScorer } from './keyword-scorer.js';
import { createLlmRubricScorer, type RubricScorer } from './rubric.js';
import type { Env } from '../env.js';
import { createExecutor } from '../execution/index.js';
import { attemptOrganizationId } from '../content/organization.js';
import { recordOutcome, withConflictRetry } from '../services/progress.js';
import { abandonCodeRun, claimCodeRun, processCodeRun } from './code-runs.js';
import {
  ABANDONED_QUEUE,
  CODE_RUN_ABANDONED_QUEUE,
  CODE_RUN_QUEUE,
  type CodeRunJob,
  EVALUATION_QUEUE,
  type EvaluationJob,
  type JobQueue,
} from './jobs.js';
import { claimRun } from './queue.js';

/** What a worker needs. */
export interface WorkerDeps {
  prisma: PrismaClient;
  /** Wakes the run's subscribers, and the leaderboards when points are awarded. */
  pubsub: PubSub;
  executor: Executor;
  logger: Logger;
  /** Scores system-design answers (Anthropic when configured, else the built-in scorer). */
  rubricScorer: RubricScorer;
  /** Longest a run's tests may take together (EVAL_RUN_BUDGET_MS); unset: 2 × the per-test CPU limit. */
  runBudgetMs?: number;
}

/** The workers' dependencies as the environment configures them. */
export function createWorkerDeps(options: {
  prisma: PrismaClient;
  pubsub: PubSub;
  env: Pick<
    Env,
    | 'EXECUTOR'
    | 'PISTON_API_URL'
    | 'ANTHROPIC_API_KEY'
    | 'ANTHROPIC_MODEL'
    | 'ANTHROPIC_BASE_URL'
    | 'EVAL_RUN_BUDGET_MS'
  >;
  logger: Logger;
  executor?: Executor;
  /** The shared LLM client; by default the environment's (null: the built-in scorer). */
  llm?: LlmClient | null;
}): WorkerDeps {
  const { env } = options;
  const llm = options.llm === undefined ? anthropicClientFromEnv(env) : options.llm;
  return {
    prisma: options.prisma,
    pubsub: options.pubsub,
    logger: options.logger,
    executor: options.executor ?? createExecutor(env),
    runBudgetMs: env.EVAL_RUN_BUDGET_MS,
    rubricScorer: llm ? createLlmRubricScorer(llm) : createBuiltinRubricScorer(),
  };
}

/** Thrown when the worker no longer owns the run (another worker took it over). */
class LeaseLostError extends Error {}

/** An infrastructure failure: the run ends FAILED and not gradable. */
class InfrastructureError extends Error {}

async function emit(
  { prisma, pubsub }: Pick<WorkerDeps, 'prisma' | 'pubsub'>,
  runId: string,
  type: Parameters<typeof appendEvent>[2],
  payload: Prisma.InputJsonObject,
) {
  const event = await appendEvent(prisma, runId, type, payload);
  announce(pubsub, runId, event.sequence);
}

/** Evaluates a run `workerId` claimed (`claimRun`) to its end. */
export async function processRun(deps: WorkerDeps, runId: string, workerId: string): Promise<void> {
  const { prisma } = deps;
  const run = await prisma.evaluationRun.findUniqueOrThrow({
    where: { id: runId },
    // Separate queries: joined, the version body (test inputs can be large) is copied into a JSON aggregate and parsed twice.
    relationLoadStrategy: 'query',
    include: {
      submission: true,
      attempt: { include: { contentVersion: true, contentItem: { select: { id: true, organizationId: true } } } },
    },
  });
  // What earlier claims recorded (a first claim has recorded nothing).
  const [recorded, startedBefore] =
    run.claimCount > 1
      ? await Promise.all([
          prisma.codingTestResult.findMany({ where: { runId }, select: { testIndex: true, verdict: true } }),
          prisma.evaluationEvent.count({ where: { runId, type: 'STARTED' } }),
        ])
      : [[], 0];
  // Stored while the sandbox starts; every later event waits for it.
  const started = startedBefore > 0 ? Promise.resolve() : emit(deps, runId, 'STARTED', { claim: run.claimCount });
  started.catch(() => {}); // awaited below

  try {
    const body = contentBodySchema.parse(run.attempt.contentVersion.body);
    const owner = { userId: run.attempt.userId, attemptId: run.attemptId };
    let outcome: { score: number; summary: Prisma.InputJsonObject };
    if (body.kind === 'SYSTEM_DESIGN') {
      const organizationId = await attemptOrganizationId(prisma, {
        userId: run.attempt.userId,
        contentItemId: run.attempt.contentItemId,
        itemOrganizationId: run.attempt.contentItem.organizationId,
      });
      await started;
      outcome = await scoreRubric(deps, runId, { ...owner, organizationId }, body, run.submission.answerText ?? '');
    } else {
      const { language, code } = run.submission;
      if (!language || !code) throw new InfrastructureError('The submission has no code to run.');
      const tests = await runTests(deps, runId, workerId, body, { language, code }, recorded, started);
      outcome = { score: tests.total === 0 ? 0 : tests.passed / tests.total, summary: { ...tests } };
      if (body.kind === 'DEBUG_LAB') {
        const answerJson = run.submission.answerJson as { bugLine?: unknown } | null;
        const diagnostics = checkDiagnosis(body.expectedDiagnosis, {
          diagnosis: run.submission.answerText ?? '',
          bugLine: typeof answerJson?.bugLine === 'number' ? answerJson.bugLine : null,
        });
        for (const diagnostic of diagnostics) {
          const data = {
            passed: diagnostic.passed,
            message: diagnostic.message,
            evidence: diagnostic.evidence as unknown as Prisma.InputJsonObject,
          };
          await prisma.debugDiagnostic.upsert({
            where: { runId_code: { runId, code: diagnostic.code } },
            create: { runId, code: diagnostic.code, ...data },
            update: data,
          });
          await emit(deps, runId, 'DIAGNOSTIC_RECORDED', { code: diagnostic.code, passed: diagnostic.passed });
        }
        outcome = {
          score: debugScore(diagnostics, tests.passed, tests.total),
          summary: { ...tests, diagnostics: diagnostics.map((d) => ({ code: d.code, passed: d.passed })) },
        };
      }
    }
    const summary = outcome.summary as { passed?: number; total?: number; earned?: number; possible?: number };
    await complete(deps, {
      runId,
      workerId,
      ...outcome,
      evidencePassed: summary.passed ?? summary.earned ?? 0,
      evidenceTotal: summary.total ?? summary.possible ?? 0,
    });
  } catch (error) {
    if (error instanceof LeaseLostError) {
      deps.logger.warn(`run ${runId}: taken over by another worker, leaving it to them`);
      return;
    }
    // The failure is stored after the started event.
    await started.catch(() => {});
    const reason =
      error instanceof SandboxUnavailableError
        ? 'SANDBOX_UNAVAILABLE'
        : error instanceof InfrastructureError
          ? error.message
          : 'INTERNAL_ERROR';
    if (!(error instanceof InfrastructureError) && !(error instanceof SandboxUnavailableError)) {
      deps.logger.error(`run ${runId} failed`, error);
    }
    await fail(deps, runId, workerId, reason);
  }
}

/** Runs the tests not yet recorded (a re-claimed run resumes), storing and announcing each. */
async function runTests(
  deps: WorkerDeps,
  runId: string,
  workerId: string,
  body: CodingBody | DebugLabBody,
  source: { language: Language; code: string },
  recorded: readonly { testIndex: number; verdict: string }[],
  started: Promise<void>,
): Promise<{ passed: number; total: number }> {
  const done = new Map(recorded.map((result) => [result.testIndex, result.verdict]));
  const pending = body.testCases
    .map((testCase, index) => ({ testCase, index }))
    .filter(({ index }) => !done.has(index));
  if (pending.length > 0) {
    const writer = testResultWriter(deps, runId, workerId, started);
    await deps.executor.run(
      {
        ...source,
        entrypoint: body.entrypoint,
        testCases: pending.map((p) => p.testCase),
        limits: itemLimits(body.limits),
        runBudgetMs: deps.runBudgetMs,
      },
      (result: TestRunResult) => {
        const entry = pending[result.index];
        if (!entry) return;
        const durationMs = Math.round(result.durationMs);
        writer.add({
          testIndex: entry.index,
          name: entry.testCase.name,
          hidden: entry.testCase.hidden,
          verdict: result.verdict,
          durationMs,
          stdout: result.stdout,
          stderr: result.stderr,
          actual: result.actual,
          memoryKb: result.memoryKb,
          event: {
            index: entry.index,
            verdict: shownVerdict(result.verdict, entry.testCase.hidden),
            durationMs,
            memoryKb: entry.testCase.hidden ? null : result.memoryKb,
            hidden: entry.testCase.hidden,
          },
        });
        done.set(entry.index, result.verdict);
      },
    );
    await writer.done();
  }
  await started;
  const passed = [...done.values()].filter((verdict) => verdict === 'PASSED').length;
  return { passed, total: body.testCases.length };
}

/** One test's result row and its TEST_CASE_FINISHED event payload. */
interface TestResultRow {
  testIndex: number;
  name: string;
  hidden: boolean;
  verdict: TestRunResult['verdict'];
  durationMs: number;
  memoryKb: number | null;
  stdout: string;
  stderr: string;
  actual: string | null;
  event: Prisma.InputJsonObject;
}

/**
 * Stores test results with their events, in one statement, only while `owner` owns the run;
 * returns the last event's sequence, or null when the run was taken over (nothing is written).
 */
async function saveTestResults(
  prisma: PrismaClient,
  runId: string,
  owner: string,
  rows: readonly TestResultRow[],
): Promise<number | null> {
  const saved = await prisma.$queryRaw<{ sequence: number }[]>`
    WITH owned AS (
      SELECT 1 FROM "EvaluationRun" WHERE "id" = ${runId}::uuid AND "leaseOwner" = ${owner} AND "status" = 'RUNNING'
    ), input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        "testIndex" int, "name" text, "hidden" boolean, "verdict" text, "durationMs" int, "memoryKb" int,
        "stdout" text, "stderr" text, "actual" text, "event" jsonb)
    ), saved AS (
      INSERT INTO "CodingTestResult" ("id", "runId", "testIndex", "name", "hidden", "verdict", "durationMs", "memoryKb", "stdout", "stderr", "actual")
      SELECT gen_random_uuid(), ${runId}::uuid, "testIndex", "name", "hidden", "verdict"::"TestVerdict", "durationMs", "memoryKb", "stdout", "stderr", "actual"
      FROM input WHERE EXISTS (SELECT 1 FROM owned)
      ON CONFLICT ("runId", "testIndex") DO UPDATE SET
        "name" = EXCLUDED."name", "hidden" = EXCLUDED."hidden", "verdict" = EXCLUDED."verdict",
        "durationMs" = EXCLUDED."durationMs", "memoryKb" = EXCLUDED."memoryKb", "stdout" = EXCLUDED."stdout", "stderr" = EXCLUDED."stderr",
        "actual" = EXCLUDED."actual"
      RETURNING "testIndex"
    ), base AS (
      SELECT COALESCE(MAX("sequence"), 0) AS last FROM "EvaluationEvent" WHERE "runId" = ${runId}::uuid
    )
    INSERT INTO "EvaluationEvent" ("id", "runId", "sequence", "type", "payload", "at")
    SELECT gen_random_uuid(), ${runId}::uuid, (base.last + row_number() OVER (ORDER BY input."testIndex"))::int,
      'TEST_CASE_FINISHED', input."event", now()
    FROM input, base
    WHERE input."testIndex" IN (SELECT "testIndex" FROM saved)
    RETURNING "sequence"`;
  return saved.length === 0 ? null : Math.max(...saved.map((row) => row.sequence));
}

/**
 * Stores test results as they arrive (once `after` has settled): each at once when the last write is done, else together
 * with the others that arrived meanwhile (one statement), so a fast run costs a few writes while
 * every test still gets its own event. `done()` waits for the last write; it throws
 * LeaseLostError when the run was taken over.
 */
function testResultWriter(
  { prisma, pubsub }: Pick<WorkerDeps, 'prisma' | 'pubsub'>,
  runId: string,
  owner: string,
  after: Promise<void>,
) {
  let pending: TestResultRow[] = [];
  let writing: Promise<void> | null = null;
  let failure: unknown = null;
  const flush = async () => {
    try {
      // The run's earlier events (STARTED) come first.
      await after;
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        const sequence = await saveTestResults(prisma, runId, owner, batch);
        if (sequence === null) throw new LeaseLostError();
        announce(pubsub, runId, sequence);
      }
    } catch (error) {
      failure = error;
    }
    // In the same turn as the loop's last check: a row added from now on starts a new flush.
    writing = null;
  };
  return {
    add(row: TestResultRow) {
      if (failure) throw failure;
      pending.push(row);
      writing ??= flush();
    },
    async done() {
      while (writing) await writing;
      if (failure) throw failure;
    },
  };
}

/** Scores a written answer per rubric criterion; every LLM call is kept as an LlmInteraction. */
async function scoreRubric(
  deps: WorkerDeps,
  runId: string,
  owner: { userId: string; attemptId: string; organizationId: string | null },
  body: SystemDesignBody,
  answer: string,
): Promise<{ score: number; summary: Prisma.InputJsonObject }> {
  const { prisma } = deps;
  const interactionOwner = { ...owner, purpose: 'RUBRIC' as const };
  let result: Awaited<ReturnType<RubricScorer['score']>>;
  try {
    result = await deps.rubricScorer.score({ statement: body.statement, rubric: body.rubric, answer });
  } catch (error) {
    if (error instanceof LlmError) {
      await recordInteractions(prisma, error.calls, interactionOwner);
      throw new InfrastructureError(error instanceof LlmOutputError ? 'LLM_OUTPUT_INVALID' : 'LLM_UNAVAILABLE');
    }
    throw error;
  }
  await recordInteractions(
    prisma,
    [...(result.rejectedCalls ?? []), ...(result.call ? [result.call] : [])],
    interactionOwner,
  );
  let earned = 0;
  let possible = 0;
  for (const criterion of body.rubric) {
    const scored = result.scores.find((s) => s.criterionKey === criterion.key);
    if (!scored) continue;
    const data = {
      score: scored.score,
      maxScore: criterion.maxScore,
      rationale: scored.rationale,
      scorer: deps.rubricScorer.name,
    };
    await prisma.rubricScore.upsert({
      where: { runId_criterionKey: { runId, criterionKey: criterion.key } },
      create: { runId, criterionKey: criterion.key, ...data },
      update: data,
    });
    await emit(deps, runId, 'RUBRIC_CRITERION_SCORED', {
      criterionKey: criterion.key,
      score: scored.score,
      maxScore: criterion.maxScore,
    });
    earned += scored.score;
    possible += criterion.maxScore;
  }
  return {
    score: possible === 0 ? 0 : earned / possible,
    summary: { earned, possible, scorer: deps.rubricScorer.name },
  };
}

/**
 * Finishes a run while still owning it: score, summary, what it earns (points, progress,
 * streak, badges, leaderboards) and the event, in one transaction, run again when a
 * concurrent completion for the same student got there first.
 */
async function complete(
  deps: WorkerDeps,
  args: {
    runId: string;
    workerId: string;
    score: number;
    summary: Prisma.InputJsonObject;
    evidencePassed: number;
    evidenceTotal: number;
  },
): Promise<void> {
  const { prisma } = deps;
  const done = await withConflictRetry(prisma, async (tx) => {
    const { count } = await tx.evaluationRun.updateMany({
      where: { id: args.runId, leaseOwner: args.workerId, status: 'RUNNING' },
      data: {
        status: 'SUCCEEDED',
        score: args.score,
        summary: args.summary,
        finishedAt: new Date(),
      },
    });
    if (count === 0) return null; // someone else finished it: count it once
    const run = await tx.evaluationRun.findUniqueOrThrow({
      where: { id: args.runId },
      select: { kind: true, submissionId: true, attemptId: true },
    });
    const rewards = await recordOutcome(tx, {
      runId: args.runId,
      kind: run.kind,
      submissionId: run.submissionId,
      score: args.score,
      evidencePassed: args.evidencePassed,
      evidenceTotal: args.evidenceTotal,
    });
    if (args.score >= 1) {
      await tx.attempt.updateMany({
        where: { id: run.attemptId, status: 'ACTIVE' },
        data: { status: 'COMPLETED', completedAt: new Date() },
      });
    }
    const event = await appendEvent(tx, args.runId, 'COMPLETED', {
      score: args.score,
      summary: args.summary,
      points: rewards.points,
    });
    return { sequence: event.sequence, rewards };
  });
  if (!done) return;
  announce(deps.pubsub, args.runId, done.sequence);
  if (done.rewards.points > 0) deps.pubsub.publish('leaderboard:changed');
}

/** Ends a run FAILED and not gradable: the platform failed, not the student. */
async function fail(deps: WorkerDeps, runId: string, workerId: string, reason: string): Promise<void> {
  const { prisma } = deps;
  const sequence = await prisma.$transaction(async (tx) => {
    const { count } = await tx.evaluationRun.updateMany({
      where: { id: runId, leaseOwner: workerId, status: 'RUNNING' },
      data: { status: 'FAILED', gradable: false, summary: { reason }, finishedAt: new Date() },
    });
    if (count === 0) return null;
    return (await appendEvent(tx, runId, 'FAILED', { reason, gradable: false })).sequence;
  });
  if (sequence !== null) announce(deps.pubsub, runId, sequence);
}

/** A pool of workers taking jobs until stopped. */
export interface WorkerPool {
  /** Stops taking jobs; waits for the runs in progress to finish. */
  stop(): Promise<void>;
}

/** A name for one delivery of a run, unique across processes and attempts (`leaseOwner`). */
function ownerName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Works `concurrency` evaluation jobs and `concurrency` code runs at a time in this process,
 * plus the dead-letter queues: a run whose job used up its retries ends FAILED (ABANDONED),
 * not gradable.
 */
export async function startWorkerPool(
  deps: WorkerDeps,
  jobs: JobQueue,
  options: { concurrency: number },
): Promise<WorkerPool> {
  const { prisma } = deps;
  /** Works one queue's jobs, `concurrency` at a time, each with its own owner name. */
  const work = <Data extends object>(queue: string, handle: (data: Data, owner: string) => Promise<void>) =>
    jobs.boss.work<Data>(
      queue,
      // New jobs wake workers at once (NOTIFY); a retried job (its worker died) is found by polling.
      { localConcurrency: options.concurrency, batchSize: 1, notifyPollingIntervalSeconds: 2 },
      async ([job]) => {
        if (!job) return;
        try {
          await handle(job.data, ownerName());
        } finally {
          // More may be waiting: look again at once instead of after pg-boss's polling interval.
          for (const worker of jobs.boss.getWipData()) if (worker.name === queue) jobs.boss.notifyWorker(worker.id);
        }
      },
    );
  // A claim that finds the run already ended (a duplicate delivery) does nothing.
  await work<EvaluationJob>(EVALUATION_QUEUE, async ({ runId }, owner) => {
    if (await claimRun(prisma, runId, owner)) await processRun(deps, runId, owner);
  });
  await work<CodeRunJob>(CODE_RUN_QUEUE, async ({ codeRunId }, owner) => {
    if (await claimCodeRun(deps, codeRunId, owner)) await processCodeRun(deps, codeRunId, owner);
  });
  await jobs.boss.work<CodeRunJob>(CODE_RUN_ABANDONED_QUEUE, { batchSize: 1 }, async ([job]) => {
    if (!job) return;
    deps.logger.error(`code run ${job.data.codeRunId}: abandoned after its retries`);
    await abandonCodeRun(deps, job.data.codeRunId, ownerName());
  });
  await jobs.boss.work<EvaluationJob>(
    ABANDONED_QUEUE,
    { batchSize: 1, notifyPollingIntervalSeconds: 2 },
    async ([job]) => {
      if (!job) return;
      const owner = ownerName();
      if (!(await claimRun(prisma, job.data.runId, owner))) return;
      deps.logger.error(`run ${job.data.runId}: abandoned after its retries`);
      await fail(deps, job.data.runId, owner, 'ABANDONED');
    },
  );
  return {
    async stop() {
      for (const queue of [EVALUATION_QUEUE, CODE_RUN_QUEUE, ABANDONED_QUEUE, CODE_RUN_ABANDONED_QUEUE]) {
        await jobs.boss.offWork(queue, { wait: true });
      }
    },
  };
}
