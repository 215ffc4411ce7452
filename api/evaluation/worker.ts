/**
 * Evaluation workers: take a run's job (jobs.ts), evaluate the run (tests in the sandbox, one
 * event per test; a debug lab's checks; a design's rubric), and finish it (run-store.ts:
 * score, summary, progress and the terminal event in one transaction, guarded by the run's
 * owner, so a run delivered twice completes and counts once). A run whose worker died is
 * delivered again and resumes after the tests it finished.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type CodingBody, contentBodySchema, type DebugLabBody, type Language } from '../content/body.js';
import { attemptOrganizationId } from '../content/organization.js';
import { itemLimits, SandboxUnavailableError, type TestRunResult } from '../execution/executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import { abandonCodeRun, claimCodeRun, processCodeRun } from './code-runs.js';
import { checkDiagnosis, debugScore } from './debug.js';
import type { WorkerDeps } from './deps.js';
import { ABANDONED_QUEUE, CODE_RUN_ABANDONED_QUEUE, CODE_RUN_QUEUE, EVALUATION_QUEUE, type JobQueue } from './jobs.js';
import { claimRun } from './queue.js';
import {
  complete,
  emit,
  fail,
  InfrastructureError,
  LeaseLostError,
  recordDiagnostics,
  scoreRubric,
  testResultWriter,
} from './run-store.js';

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
        await recordDiagnostics(deps, runId, diagnostics);
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
          // Stored whole; each viewer sees it masked as their view of the test allows (visibility.ts).
          event: {
            index: entry.index,
            verdict: result.verdict,
            durationMs,
            memoryKb: result.memoryKb,
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
  const { concurrency } = options;
  // A claim that finds the run already ended (a duplicate delivery) does nothing.
  await jobs.work(EVALUATION_QUEUE, { concurrency }, async ({ runId }) => {
    const owner = ownerName();
    if (await claimRun(prisma, runId, owner)) await processRun(deps, runId, owner);
  });
  await jobs.work(CODE_RUN_QUEUE, { concurrency }, async ({ codeRunId }) => {
    const owner = ownerName();
    if (await claimCodeRun(deps, codeRunId, owner)) await processCodeRun(deps, codeRunId, owner);
  });
  await jobs.work(CODE_RUN_ABANDONED_QUEUE, {}, async ({ codeRunId }) => {
    deps.logger.error(`code run ${codeRunId}: abandoned after its retries`);
    await abandonCodeRun(deps, codeRunId, ownerName());
  });
  await jobs.work(ABANDONED_QUEUE, {}, async ({ runId }) => {
    const owner = ownerName();
    if (!(await claimRun(prisma, runId, owner))) return;
    deps.logger.error(`run ${runId}: abandoned after its retries`);
    await fail(deps, runId, owner, 'ABANDONED');
  });
  return {
    async stop() {
      for (const queue of [EVALUATION_QUEUE, CODE_RUN_QUEUE, ABANDONED_QUEUE, CODE_RUN_ABANDONED_QUEUE] as const) {
        await jobs.stopWorking(queue);
      }
    },
  };
}
