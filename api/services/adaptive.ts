/**
 * Adaptive tests: starting a session on a pool, answering its current question exactly once,
 * abandoning it, and expiry after inactivity. The session's state is rebuilt from its stored
 * responses (api/adaptive/engine.ts); PostgreSQL is the record.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  conceptEstimates,
  type EngineItem,
  type EngineResponse,
  type EngineSettings,
  PRIOR,
  sessionConcepts,
  sessionStep,
} from '../adaptive/engine.js';
import type { AdaptiveOptions, CachedPool } from '../adaptive/pools.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { ConflictError, ExpiredError, InvalidInputError, NotFoundError, parseInput } from '../errors.js';
import { type AdaptiveTestSession, Prisma } from '../generated/prisma/client.js';
import { idempotencyKeySchema } from './practice.js';

/** Defaults of a session (issue 15). */
export const ADAPTIVE_DEFAULTS = { maxQuestions: 20, targetStandardError: 0.3, exposureTopK: 5 } as const;

/** Pools a viewer may take tests on: the global ones and their organizations'. */
export function visiblePoolsWhere(viewer: Viewer | null): Prisma.QuestionPoolWhereInput {
  const organizationIds = viewer ? [...viewer.roles.keys()] : [];
  return {
    OR: [
      { organizationId: null },
      ...(organizationIds.length > 0 ? [{ organizationId: { in: organizationIds } }] : []),
    ],
  };
}

const startSchema = z.object({
  poolId: z.string(),
  maxQuestions: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').nullish(),
  targetStandardError: z.number().min(0.05, 'must be at least 0.05').max(2, 'must be at most 2').nullish(),
  concepts: z.array(z.string().min(1)).max(50).nullish(),
  estimator: z.enum(['EAP', 'MLE']).nullish(),
});

const answerSchema = z.object({
  sessionId: z.string(),
  questionId: z.string(),
  choice: z.string().min(1, 'must not be empty').max(20),
  idempotencyKey: idempotencyKeySchema,
  latencyMs: z.number().int().min(0).nullish(),
});

const settingsOf = (session: AdaptiveTestSession): EngineSettings => ({
  estimator: session.estimator,
  maxQuestions: session.maxQuestions,
  targetStandardError: session.targetStandardError,
  exposureTopK: session.exposureTopK,
  concepts: session.concepts,
});

/** Starts an adaptive test for the viewer on a pool they may see; the first question is chosen at once. */
export async function startAdaptiveTest(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof startSchema>,
  options: AdaptiveOptions,
): Promise<AdaptiveTestSession> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to take an adaptive test.');
  const data = parseInput(startSchema, input);
  const pool = await prisma.questionPool.findFirst({
    where: { AND: [{ id: data.poolId }, visiblePoolsWhere(viewer)] },
    select: { id: true, concepts: true },
  });
  if (!pool) throw new NotFoundError('QuestionPool');
  const concepts = data.concepts ?? [];
  const unknown = concepts.filter((concept) => !pool.concepts.includes(concept));
  if (unknown.length > 0) {
    throw InvalidInputError.at(['input', 'concepts'], `not concepts of this pool: ${unknown.join(', ')}`);
  }
  const settings: EngineSettings = {
    estimator: data.estimator ?? 'EAP',
    maxQuestions: data.maxQuestions ?? ADAPTIVE_DEFAULTS.maxQuestions,
    targetStandardError: data.targetStandardError ?? ADAPTIVE_DEFAULTS.targetStandardError,
    exposureTopK: ADAPTIVE_DEFAULTS.exposureTopK,
    concepts,
  };
  const seed = randomUUID();
  return prisma.$transaction(async (tx) => {
    // Counting the session first locks the pool's row: concurrent starts take their turns at
    // the exposure counts.
    // (Counts, not edits: written raw so that they leave `updatedAt` alone.)
    await tx.$executeRaw`UPDATE "QuestionPool" SET "sessionCount" = "sessionCount" + 1 WHERE "id" = ${pool.id}::uuid`;
    const stored = await options.pools.load(tx, pool.id);
    if (!stored) throw new NotFoundError('QuestionPool');
    const items = activeItems(stored.pool, new Set());
    if (items.length === 0) throw InvalidInputError.at(['input', 'poolId'], 'the pool has no active questions');
    const first = sessionStep(items, [], settings, seed, await options.pools.overexposed(tx, stored));
    if (!first.next) throw InvalidInputError.at(['input', 'concepts'], 'no active question covers these concepts');
    await administer(tx, first.next.id);
    return tx.adaptiveTestSession.create({
      data: {
        poolId: pool.id,
        userId: viewer.userId,
        estimator: settings.estimator,
        maxQuestions: settings.maxQuestions,
        targetStandardError: settings.targetStandardError,
        exposureTopK: settings.exposureTopK,
        concepts,
        theta: PRIOR.theta,
        standardError: PRIOR.standardError,
        initialTheta: PRIOR.theta,
        initialStandardError: PRIOR.standardError,
        currentQuestionId: first.next.id,
        seed,
        startedAt: new Date(),
        lastActivityAt: new Date(),
        expiresAt: new Date(Date.now() + options.idleMinutes * 60_000),
      },
    });
  });
}

/** The pool's items a session may be asked, and those it answered (retired ones keep their answers). */
function activeItems(pool: CachedPool, answered: ReadonlySet<string>): EngineItem[] {
  return pool.items.filter((item) => pool.questions.get(item.id)?.status === 'ACTIVE' || answered.has(item.id));
}

/** Counts a question as given to one more session (its exposure). */
async function administer(tx: Prisma.TransactionClient, questionId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Question" SET "administered" = "administered" + 1 WHERE "id" = ${questionId}::uuid`;
}

/** A completed session's per-concept θ becomes the user's proficiency in those concepts. */
async function recordProficiency(
  tx: Prisma.TransactionClient,
  userId: string,
  pool: readonly EngineItem[],
  responses: readonly EngineResponse[],
  settings: EngineSettings,
): Promise<void> {
  const items = new Map(pool.map((item) => [item.id, item]));
  for (const estimate of conceptEstimates(items, responses, settings.estimator, sessionConcepts(pool, settings))) {
    if (estimate.responses === 0) continue;
    const data = { theta: estimate.theta, standardError: estimate.standardError, responses: estimate.responses };
    await tx.conceptProficiency.upsert({
      where: { userId_concept: { userId, concept: estimate.concept } },
      create: { userId, concept: estimate.concept, ...data },
      update: data,
    });
  }
}

/** What expiring a session writes: it ends EXPIRED, asking nothing more; its responses stay. */
const expiredAt = (now: Date) =>
  ({
    status: 'EXPIRED',
    stopReason: 'EXPIRED',
    currentQuestionId: null,
    completedAt: now,
  }) satisfies Prisma.AdaptiveTestSessionUncheckedUpdateManyInput;

/** Ends an ACTIVE session past its expiry: EXPIRED, its responses kept. Returns whether it did. */
async function expireIfIdle(db: Prisma.TransactionClient | PrismaClient, session: AdaptiveTestSession, now: Date) {
  if (session.status !== 'ACTIVE' || effectiveStatus(session, now) !== 'EXPIRED') return false;
  const { count } = await db.adaptiveTestSession.updateMany({
    where: { id: session.id, status: 'ACTIVE' },
    data: expiredAt(now),
  });
  return count > 0;
}

/**
 * Ends every ACTIVE session past its expiry, as `expireIfIdle` ends one, in one UPDATE (the
 * `expire-adaptive-sessions` job runs it every minute; reads and answers do not wait for it,
 * since `effectiveStatus` already reads such a session EXPIRED). Returns how many it ended.
 */
export async function expireIdleSessions(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.adaptiveTestSession.updateMany({
    where: { status: 'ACTIVE', expiresAt: { lte: now } },
    data: expiredAt(now),
  });
  return count;
}

/**
 * Answers the session's current question. Exactly once: the session row is locked for the
 * transaction, so concurrent answers apply one after the other; the same idempotency key
 * returns the same session; another choice for an answered question is a Conflict; a
 * question that is not the current one is bad input.
 */
export async function answerQuestion(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof answerSchema>,
  options: AdaptiveOptions,
): Promise<AdaptiveTestSession> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to answer.');
  const data = parseInput(answerSchema, input);
  const run = () =>
    prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "AdaptiveTestSession" WHERE "id" = ${data.sessionId}::uuid FOR UPDATE`;
      const session = await tx.adaptiveTestSession.findFirst({
        where: { id: data.sessionId, userId: viewer.userId },
        include: { responses: { orderBy: { position: 'asc' } } },
      });
      if (!session) throw new NotFoundError('AdaptiveTestSession');
      const replay = session.responses.find((response) => response.idempotencyKey === data.idempotencyKey);
      if (replay) {
        if (replay.questionId !== data.questionId || replay.choice !== data.choice) {
          throw new ConflictError(`The idempotency key "${data.idempotencyKey}" was already used for another answer.`);
        }
        return session;
      }
      const answered = session.responses.find((response) => response.questionId === data.questionId);
      if (answered) {
        if (answered.choice === data.choice) return session;
        throw new ConflictError('This question was already answered with another choice.');
      }
      const now = new Date();
      // Expired now, or earlier (by the sweep, or a read that expired it): Expired either way.
      if ((await expireIfIdle(tx, session, now)) || session.status === 'EXPIRED') return 'EXPIRED' as const;
      if (session.status !== 'ACTIVE') throw new ConflictError(`The test has ended (${session.status}).`);
      if (session.currentQuestionId !== data.questionId) {
        throw InvalidInputError.at(['input', 'questionId'], 'is not the question the test is asking now');
      }
      const stored = await options.pools.load(tx, session.poolId);
      if (!stored) throw new NotFoundError('QuestionPool');
      const question = stored.pool.questions.get(data.questionId);
      const keys = ((question?.options ?? []) as { key: string }[]).map((option) => option.key);
      if (!question || !keys.includes(data.choice)) {
        throw InvalidInputError.at(['input', 'choice'], `must be one of ${keys.join(', ')}`);
      }
      const correct = question.correctOption === data.choice;
      const responses = [...session.responses.map((r) => ({ itemId: r.questionId, correct: r.correct }))];
      responses.push({ itemId: question.id, correct });
      // Retired questions answered before stay in the estimate; only active ones are asked.
      const pool = activeItems(stored.pool, new Set(responses.map((r) => r.itemId)));
      const step = sessionStep(
        pool,
        responses,
        settingsOf(session),
        session.seed,
        await options.pools.overexposed(tx, stored),
      );
      await tx.testResponse.create({
        data: {
          sessionId: session.id,
          questionId: question.id,
          position: session.responses.length + 1,
          choice: data.choice,
          correct,
          thetaBefore: session.theta,
          thetaAfter: step.estimate.theta,
          standardErrorAfter: step.estimate.standardError,
          latencyMs: data.latencyMs ?? null,
          idempotencyKey: data.idempotencyKey,
        },
      });
      const done = step.stop !== null || step.next === null;
      if (done) await recordProficiency(tx, viewer.userId, pool, responses, settingsOf(session));
      else if (step.next) await administer(tx, step.next.id);
      return tx.adaptiveTestSession.update({
        where: { id: session.id },
        data: {
          theta: step.estimate.theta,
          standardError: step.estimate.standardError,
          currentQuestionId: done ? null : (step.next?.id ?? null),
          lastActivityAt: now,
          expiresAt: new Date(now.getTime() + options.idleMinutes * 60_000),
          version: { increment: 1 },
          ...(done ? { status: 'COMPLETED', stopReason: step.stop ?? 'POOL_EXHAUSTED', completedAt: now } : {}),
        },
      });
    });
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run();
  } catch (error) {
    // Two requests with the same key raced past the replay check: answer as the winner did.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') result = await run();
    else throw error;
  }
  if (result === 'EXPIRED') throw new ExpiredError('The test expired after a long pause: start a new one.');
  return result;
}

/** Ends the viewer's ACTIVE session: ABANDONED, its responses kept. Abandoning an ended one changes nothing. */
export async function abandonAdaptiveTest(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  sessionId: string,
): Promise<AdaptiveTestSession> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to abandon a test.');
  const session = await prisma.adaptiveTestSession.findFirst({ where: { id: sessionId, userId: viewer.userId } });
  if (!session) throw new NotFoundError('AdaptiveTestSession');
  await prisma.adaptiveTestSession.updateMany({
    where: { id: session.id, status: 'ACTIVE' },
    data: { status: 'ABANDONED', stopReason: 'ABANDONED', currentQuestionId: null, completedAt: new Date() },
  });
  return prisma.adaptiveTestSession.findUniqueOrThrow({ where: { id: session.id } });
}

/** The status as of now: an ACTIVE session past its expiry reads EXPIRED before anything writes it. */
export function effectiveStatus(session: Pick<AdaptiveTestSession, 'status' | 'expiresAt'>, now = new Date()) {
  return session.status === 'ACTIVE' && session.expiresAt <= now ? ('EXPIRED' as const) : session.status;
}
