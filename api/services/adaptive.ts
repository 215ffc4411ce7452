/**
 * Adaptive tests: starting a session on a pool, answering its current question exactly once,
 * abandoning it, and expiry after inactivity. The session's state is rebuilt from its stored
 * responses (api/adaptive/engine.ts); PostgreSQL is the record.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  type ConceptEstimate,
  conceptEstimatesAfter,
  conceptMastery,
  type EngineItem,
  engineItem,
  type EngineSettings,
  PRIOR,
  type SessionStep,
  sessionOutcome,
  sessionStep,
} from '../adaptive/engine.js';
import { type AheadTask, lookaheadKey } from '../adaptive/lookahead.js';
import { recordTestOutcome } from '../paths/progress.js';
import type { AdaptiveOptions, CachedPool, PoolNow } from '../adaptive/pools.js';
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
  const { session, pool: copy } = await prisma.$transaction(async (tx) => {
    // Counting the session first locks the pool's row: concurrent starts take their turns at
    // the exposure counts.
    // (Counts, not edits: written raw so that they leave `updatedAt` alone.)
    await tx.$executeRaw`UPDATE "QuestionPool" SET "sessionCount" = "sessionCount" + 1 WHERE "id" = ${pool.id}::uuid`;
    const stored = await options.pools.load(tx, pool.id);
    if (!stored) throw new NotFoundError('QuestionPool');
    const items = activeItems(stored.pool, new Set());
    if (items.length === 0) throw InvalidInputError.at(['input', 'poolId'], 'the pool has no active questions');
    const first = await stepAndAdminister(tx, stored, (overexposed) =>
      sessionStep(items, [], settings, seed, overexposed),
    );
    if (!first.next) throw InvalidInputError.at(['input', 'concepts'], 'no active question covers these concepts');
    const created = await tx.adaptiveTestSession.create({
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
    return { session: created, pool: stored.pool };
  });
  lookAhead(options, session, copy, [], null);
  return session;
}

/**
 * Has the lookahead (if any) work out both answers to the session's current question, once
 * the answer or start that chose it is committed (see api/adaptive/lookahead.ts).
 */
function lookAhead(
  options: AdaptiveOptions,
  session: AdaptiveTestSession,
  pool: CachedPool,
  responses: AheadTask['responses'],
  kept: AheadTask['kept'],
) {
  const next = session.currentQuestionId;
  if (!options.lookahead || session.status !== 'ACTIVE' || !next) return;
  options.lookahead.prepare(lookaheadKey(session, next, pool.revision), {
    items: [...responses.map((response) => response.itemId), next].flatMap((id) => pool.itemsById.get(id) ?? []),
    responses,
    next,
    settings: settingsOf(session),
    kept,
  });
}

/**
 * The pool's items a session may be asked, and those it answered (retired ones keep their
 * answers): the copy's own array while none of them is retired, so the engine's index of it
 * is built once per copy.
 */
function activeItems(pool: CachedPool, answered: ReadonlySet<string>): readonly EngineItem[] {
  const retired = [...answered].filter((id) => pool.questions.get(id)?.status !== 'ACTIVE');
  if (retired.length === 0) return pool.active;
  return [...pool.active, ...retired.flatMap((id) => pool.itemsById.get(id) ?? [])];
}

/**
 * The session's next step, its question counted as given to one more session (its exposure),
 * in the transaction. The count is raised only while the question is below the pool's cap
 * (or when every question left is at it, as `selectNext` allows): of two answers at once in
 * the pool that chose the same question at the last place under the cap, the second finds it
 * at the cap, leaves it out and chooses again. No lock on the pool is taken.
 */
async function stepAndAdminister(
  tx: Prisma.TransactionClient,
  stored: PoolNow,
  choose: (overexposed: ReadonlySet<string>) => SessionStep,
): Promise<SessionStep> {
  const overexposed = new Set(stored.overexposed);
  for (;;) {
    const step = choose(overexposed);
    if (step.stop || !step.next) return step;
    const spared = !overexposed.has(step.next.id);
    const counted = await tx.$executeRaw`
      UPDATE "Question" SET "administered" = "administered" + 1
      WHERE "id" = ${step.next.id}::uuid AND (${!spared} OR "administered" < ${stored.cap})`;
    if (counted > 0) return step;
    overexposed.add(step.next.id);
  }
}

/** A session's stored θ per concept (`AdaptiveTestSession.conceptEstimates`). */
const storedEstimatesSchema = z.array(
  z.object({ concept: z.string(), theta: z.number(), standardError: z.number(), responses: z.number().int() }),
);

/** The session's kept estimates per concept; null when it has none kept (stored before they were). */
function keptEstimates(session: Pick<AdaptiveTestSession, 'conceptEstimates'>): ConceptEstimate[] | null {
  return session.conceptEstimates === null ? null : storedEstimatesSchema.parse(session.conceptEstimates);
}

/**
 * θ per concept of a session: the kept estimates, or, for a session stored before they were
 * kept, rebuilt from its responses; with the prior for a concept the session asks about but
 * has not reached yet.
 */
export async function sessionConceptEstimates(
  prisma: PrismaClient,
  session: Pick<AdaptiveTestSession, 'id' | 'conceptEstimates' | 'concepts' | 'estimator'>,
): Promise<ConceptEstimate[]> {
  let estimates = keptEstimates(session);
  if (!estimates) {
    const responses = await prisma.testResponse.findMany({
      where: { sessionId: session.id },
      orderBy: { position: 'asc' },
      select: { correct: true, question: true },
    });
    const items = new Map(responses.map(({ question }) => [question.id, engineItem(question)]));
    const answered = responses.map((r) => ({ itemId: r.question.id, correct: r.correct }));
    estimates = conceptEstimatesAfter(items, answered, session.estimator, null);
  }
  if (session.concepts.length === 0) return estimates;
  return session.concepts.map(
    (concept) => estimates.find((estimate) => estimate.concept === concept) ?? { concept, ...PRIOR, responses: 0 },
  );
}

/** A completed session's per-concept θ becomes the user's proficiency in those concepts (one statement). */
async function recordProficiency(
  tx: Prisma.TransactionClient,
  userId: string,
  estimates: readonly ConceptEstimate[],
): Promise<void> {
  if (estimates.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "ConceptProficiency" ("userId", "concept", "theta", "standardError", "responses", "updatedAt")
    SELECT ${userId}::uuid, e.concept, e.theta, e.se, e.responses, now()
    FROM unnest(${estimates.map((e) => e.concept)}::text[], ${estimates.map((e) => e.theta)}::float8[],
                ${estimates.map((e) => e.standardError)}::float8[], ${estimates.map((e) => e.responses)}::int[])
      AS e(concept, theta, se, responses)
    ON CONFLICT ("userId", "concept") DO UPDATE SET
      "theta" = EXCLUDED."theta", "standardError" = EXCLUDED."standardError",
      "responses" = EXCLUDED."responses", "updatedAt" = EXCLUDED."updatedAt"`;
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
      // The session's row, locked for the transaction, in the statement that reads it. (Its answers
      // are read after: a statement that waited for the lock reads with its snapshot from before.)
      const [session] = await tx.$queryRaw<AdaptiveTestSession[]>`
        SELECT * FROM "AdaptiveTestSession"
        WHERE "id" = ${data.sessionId}::uuid AND "userId" = ${viewer.userId}::uuid FOR UPDATE`;
      if (!session) throw new NotFoundError('AdaptiveTestSession');
      const answers = await tx.testResponse.findMany({
        where: { sessionId: session.id },
        orderBy: { position: 'asc' },
      });
      const replay = answers.find((response) => response.idempotencyKey === data.idempotencyKey);
      if (replay) {
        if (replay.questionId !== data.questionId || replay.choice !== data.choice) {
          throw new ConflictError(`The idempotency key "${data.idempotencyKey}" was already used for another answer.`);
        }
        return { session };
      }
      const answered = answers.find((response) => response.questionId === data.questionId);
      if (answered) {
        if (answered.choice === data.choice) return { session };
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
      const responses = answers.map((r) => ({ itemId: r.questionId, correct: r.correct }));
      responses.push({ itemId: question.id, correct });
      // Worked out while the question was read, or now: θ and the stopping rules, and θ per concept.
      const settings = settingsOf(session);
      const ahead = await options.lookahead?.take(lookaheadKey(session, question.id, stored.pool.revision), correct);
      const outcome = ahead ?? sessionOutcome(stored.pool.itemsById, responses, settings);
      const estimates =
        ahead?.concepts ??
        conceptEstimatesAfter(stored.pool.itemsById, responses, session.estimator, keptEstimates(session));
      // Retired questions answered before stay in the estimate; only active ones are asked.
      const pool = activeItems(stored.pool, new Set(responses.map((r) => r.itemId)));
      const step = await stepAndAdminister(tx, stored, (overexposed) =>
        sessionStep(pool, responses, settings, session.seed, overexposed, outcome),
      );
      await tx.testResponse.create({
        data: {
          sessionId: session.id,
          questionId: question.id,
          position: answers.length + 1,
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
      if (done) {
        // The concepts the session asks about, of those answered (every one when it names none).
        const asked = estimates.filter((e) => session.concepts.length === 0 || session.concepts.includes(e.concept));
        await recordProficiency(tx, viewer.userId, asked);
        // The learner's path, in the same transaction: topics on these concepts with this pool as
        // an exercise take the measured mastery; a placement test marks the assessment done.
        const mastery = new Map(asked.map((e) => [e.concept, conceptMastery(e.theta)]));
        const took = answers.reduce((sum, r) => sum + (r.latencyMs ?? 0), data.latencyMs ?? 0);
        await recordTestOutcome(tx, session.poolId, mastery, {
          userId: viewer.userId,
          timeSpentSeconds: took / 1000,
          at: now,
        });
        await tx.learningProfile.updateMany({
          where: { userId: viewer.userId, placementSessionId: session.id },
          data: { assessmentCompleted: true },
        });
      }
      const updated = await tx.adaptiveTestSession.update({
        where: { id: session.id },
        data: {
          theta: step.estimate.theta,
          standardError: step.estimate.standardError,
          conceptEstimates: estimates.map((e) => ({ ...e })),
          currentQuestionId: done ? null : (step.next?.id ?? null),
          lastActivityAt: now,
          expiresAt: new Date(now.getTime() + options.idleMinutes * 60_000),
          version: { increment: 1 },
          ...(done ? { status: 'COMPLETED', stopReason: step.stop ?? 'POOL_EXHAUSTED', completedAt: now } : {}),
        },
      });
      return { session: updated, ahead: { pool: stored.pool, responses, kept: estimates } };
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
  if (result.ahead) lookAhead(options, result.session, result.ahead.pool, result.ahead.responses, result.ahead.kept);
  return result.session;
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
