/**
 * Code runs (runCode): the student's code on the item's visible examples and on arguments of
 * their own, in the same sandbox and under the same limits as an evaluation, and never graded.
 * Each call's outcome is appended to the run as it finishes, guarded by the run's owner (the
 * worker delivery that claimed it), then announced; a run whose worker died is run again.
 */
import { contentBodySchema, type TestCase } from '../content/body.js';
import type { PrismaClient } from '../db.js';
import {
  type Executor,
  itemLimits,
  SandboxUnavailableError,
  type TestRunResult,
  type Verdict,
} from '../execution/executor.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub.js';

/** What a code run needs (a worker's dependencies provide it). */
export interface CodeRunDeps {
  prisma: PrismaClient;
  /** Tells the run's subscribers that it changed (stored first). */
  pubsub: PubSub;
  executor: Executor;
  logger: Logger;
  runBudgetMs?: number;
}

/** Where a code run's state is kept and announced. */
type RunStore = Pick<CodeRunDeps, 'prisma' | 'pubsub'>;

/** One call of a code run, as stored in `CodeRun.calls`. */
export interface CodeRunCall {
  /** Position in the run, from 0: the examples first, then the student's own arguments. */
  index: number;
  source: 'EXAMPLE' | 'CUSTOM';
  name: string;
  args: unknown[];
  /** What the example expects; absent for the student's own arguments. */
  expected?: unknown;
  /** JSON of what the function returned, when it returned. */
  returned: string | null;
  /** The verdict, where there is an expected value or the call did not return; else null. */
  verdict: Verdict | null;
  durationMs: number;
  memoryKb: number | null;
  stdout: string;
  stderr: string;
}

/** The calls a run makes: each visible example, then the student's arguments when given. */
export function codeRunCases(
  testCases: readonly TestCase[],
  args: unknown[] | null,
): (TestCase & { custom: boolean })[] {
  const examples = testCases.filter((testCase) => !testCase.hidden).map((testCase) => ({ ...testCase, custom: false }));
  return args ? [...examples, { name: 'your input', args, expected: null, hidden: false, custom: true }] : examples;
}

function callOf(testCase: TestCase & { custom: boolean }, result: TestRunResult): CodeRunCall {
  const returnedNormally = result.verdict === 'PASSED' || result.verdict === 'FAILED';
  return {
    index: result.index,
    source: testCase.custom ? 'CUSTOM' : 'EXAMPLE',
    name: testCase.name,
    args: testCase.args,
    ...(testCase.custom ? {} : { expected: testCase.expected }),
    returned: result.actual,
    // Nothing to compare the student's own call with: only how it ended, when it did not return.
    verdict: testCase.custom && returnedNormally ? null : result.verdict,
    durationMs: Math.round(result.durationMs),
    memoryKb: result.memoryKb,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** Ends a run FAILED (the platform could not run it) while `owner` still owns it. */
async function failCodeRun(
  { prisma, pubsub }: RunStore,
  codeRunId: string,
  owner: string,
  reason: string,
): Promise<void> {
  const { count } = await prisma.codeRun.updateMany({
    where: { id: codeRunId, leaseOwner: owner, status: 'RUNNING' },
    data: { status: 'FAILED', failureReason: reason, finishedAt: new Date() },
  });
  if (count > 0) pubsub.publish('code-run:changed', codeRunId, 'status');
}

/** Claims a queued run (or one whose worker died) for `owner`; false when it has already ended. */
export async function claimCodeRun({ prisma, pubsub }: RunStore, codeRunId: string, owner: string): Promise<boolean> {
  const { count } = await prisma.codeRun.updateMany({
    where: { id: codeRunId, status: { in: ['QUEUED', 'RUNNING'] } },
    // A run delivered again starts over: its calls are cheap and nothing was graded.
    data: { status: 'RUNNING', leaseOwner: owner, calls: [] },
  });
  if (count > 0) pubsub.publish('code-run:changed', codeRunId, 'status');
  return count > 0;
}

/** Runs a claimed code run to its end. */
export async function processCodeRun(deps: CodeRunDeps, codeRunId: string, owner: string): Promise<void> {
  const { prisma, pubsub } = deps;
  try {
    const run = await prisma.codeRun.findUniqueOrThrow({
      where: { id: codeRunId },
      select: { language: true, code: true, args: true, attempt: { select: { contentVersion: true } } },
    });
    const body = contentBodySchema.parse(run.attempt.contentVersion.body);
    if (body.kind === 'SYSTEM_DESIGN') throw new Error('A system-design item has no code to run.');
    const cases = codeRunCases(body.testCases, Array.isArray(run.args) ? (run.args as unknown[]) : null);
    let lost = false;
    await deps.executor.run(
      {
        language: run.language,
        code: run.code,
        entrypoint: body.entrypoint,
        testCases: cases,
        limits: itemLimits(body.limits),
        runBudgetMs: deps.runBudgetMs,
      },
      async (result) => {
        const testCase = cases[result.index];
        if (!testCase || lost) return;
        const call = JSON.stringify([callOf(testCase, result)]);
        const count = await prisma.$executeRaw`
          UPDATE "CodeRun" SET "calls" = "calls" || ${call}::jsonb
          WHERE "id" = ${codeRunId}::uuid AND "leaseOwner" = ${owner} AND "status" = 'RUNNING'`;
        if (count === 0) lost = true;
        else pubsub.publish('code-run:changed', codeRunId, 'call');
      },
    );
    if (lost) return; // taken over by another worker: leave it to them
    const { count } = await prisma.codeRun.updateMany({
      where: { id: codeRunId, leaseOwner: owner, status: 'RUNNING' },
      data: { status: 'SUCCEEDED', finishedAt: new Date() },
    });
    if (count > 0) pubsub.publish('code-run:changed', codeRunId, 'status');
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError)) deps.logger.error(`code run ${codeRunId} failed`, error);
    await failCodeRun(
      deps,
      codeRunId,
      owner,
      error instanceof SandboxUnavailableError ? 'SANDBOX_UNAVAILABLE' : 'INTERNAL_ERROR',
    );
  }
}

/** Ends a run whose job used up its retries (its workers kept dying): FAILED, ABANDONED. */
export async function abandonCodeRun(store: RunStore, codeRunId: string, owner: string): Promise<void> {
  if (await claimCodeRun(store, codeRunId, owner)) await failCodeRun(store, codeRunId, owner, 'ABANDONED');
}
