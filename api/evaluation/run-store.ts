/**
 * What an evaluation worker writes for a run, each write guarded by the run's owner: test
 * results with their events (coalesced while a write is under way), debug-lab checks, rubric
 * scores with their LLM calls, and the run's end (completion with what it earns, or failure).
 */
import type { SystemDesignBody } from '../content/body.js';
import type { PrismaClient } from '../db.js';
import { withConflictRetry } from '../db/conflicts.js';
import type { TestRunResult } from '../execution/executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordItemOutcome } from '../paths/progress.js';
import { recordOutcome } from '../rewards/outcome.js';
import type { DebugDiagnosticResult } from './debug.js';
import type { WorkerDeps } from './deps.js';
import { announce, appendEvent } from './events.js';
import { LlmError, LlmOutputError } from '../llm/client.js';
import { recordInteractions } from '../llm/record.js';
import type { RubricScorer } from './rubric.js';

/** Thrown when the worker no longer owns the run (another worker took it over). */
export class LeaseLostError extends Error {}

/** An infrastructure failure: the run ends FAILED and not gradable. */
export class InfrastructureError extends Error {}

/** Stores an event of the run and announces it. */
export async function emit(
  { prisma, pubsub }: Pick<WorkerDeps, 'prisma' | 'pubsub'>,
  runId: string,
  type: Parameters<typeof appendEvent>[2],
  payload: Prisma.InputJsonObject,
) {
  const event = await appendEvent(prisma, runId, type, payload);
  announce(pubsub, runId, event.sequence);
}

/** Stores a debug lab's checks (again on a re-claimed run: one row per check), announcing each. */
export async function recordDiagnostics(
  deps: Pick<WorkerDeps, 'prisma' | 'pubsub'>,
  runId: string,
  diagnostics: readonly DebugDiagnosticResult[],
): Promise<void> {
  const { prisma } = deps;
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
}

/** One test's result row and its TEST_CASE_FINISHED event payload. */
export interface TestResultRow {
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
export function testResultWriter(
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
export async function scoreRubric(
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
export async function complete(
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
    // The learner's path, in the same transaction: a topic completes, and what waited for it opens, once.
    await recordItemOutcome(tx, rewards.contentItemId, {
      userId: rewards.userId,
      score: args.score,
      passed: rewards.passed,
      timeSpentSeconds: rewards.timeSpentSeconds,
      at: new Date(),
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
export async function fail(deps: WorkerDeps, runId: string, workerId: string, reason: string): Promise<void> {
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
