/**
 * Calibrating a question pool: its authors ask for the items' 2PL parameters to be estimated
 * again from the stored responses (a pg-boss job running api/adaptive/calibration.ts), read
 * the proposal (per-item change and fit), and accept it for all or some items. Nothing changes
 * by itself: a run only proposes until it is accepted.
 */
import { z } from 'zod';
import type { SkipReason, TwoPLParameters } from '../adaptive/calibration.js';
import { calibrateItemsOffThread } from '../adaptive/calibration-thread.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import type { JobQueue } from '../evaluation/jobs.js';
import { AppError, ConflictError, InvalidInputError, NotFoundError, parseInput } from '../errors.js';
import { type CalibrationRun, Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { authoringOrganizationIds } from './content.js';
import { idempotencyKeySchema } from './practice.js';
import { authoredPool } from './question-pools.js';

/**
 * Responses an item needs to be estimated, by default and at the least: marginal ML of two
 * parameters from fewer than a few dozen answers is mostly noise (and the priors would decide).
 */
export const MIN_RESPONSES = { default: 100, least: 20, most: 100_000 } as const;

const calibrateSchema = z.object({
  poolId: z.string(),
  minResponses: z
    .number()
    .int('must be a whole number')
    .min(MIN_RESPONSES.least, `must be at least ${MIN_RESPONSES.least}`)
    .max(MIN_RESPONSES.most, `must be at most ${MIN_RESPONSES.most.toLocaleString('en')}`)
    .nullish(),
  idempotencyKey: idempotencyKeySchema,
});

const acceptSchema = z.object({
  runId: z.string(),
  questionIds: z.array(z.string()).min(1, 'must name at least one question').max(10_000).nullish(),
});

const parametersSchema = z.object({ discrimination: z.number(), difficulty: z.number() });

/** One question's result, as stored in `CalibrationRun.items`. */
const calibratedItemSchema = z.object({
  questionId: z.string(),
  responses: z.number().int(),
  calibrated: z.boolean(),
  skipReason: z.enum(['FEW_RESPONSES', 'GUESSING']).nullable(),
  before: parametersSchema,
  after: parametersSchema.nullable(),
  rmsd: z.number().nullable(),
});

/** One question's result in a calibration run. */
export interface CalibratedItem {
  questionId: string;
  /** Sessions that answered it. */
  responses: number;
  /** Whether it was estimated (else it keeps `before`, see `skipReason`). */
  calibrated: boolean;
  skipReason: SkipReason | null;
  /** Its parameters when the run read them. */
  before: TwoPLParameters;
  /** The proposal; null when not calibrated. */
  after: TwoPLParameters | null;
  /** RMSD item fit of `after` (of `before` when not calibrated); null when nobody answered it. */
  rmsd: number | null;
}

/** A run's per-question results (empty before it SUCCEEDED). */
export function calibratedItems(run: Pick<CalibrationRun, 'items'>): CalibratedItem[] {
  return run.items === null ? [] : z.array(calibratedItemSchema).parse(run.items);
}

/** Calibration runs the viewer may read: those of the pools they author (instructors and admins). */
export function calibrationReadersWhere(viewer: Viewer | null): Prisma.CalibrationRunWhereInput {
  return { pool: { organizationId: { in: authoringOrganizationIds(viewer) } } };
}

/**
 * Queues a calibration of a pool the viewer authors: a run and its pg-boss job, in one
 * transaction. The same idempotency key returns the same run (with another pool or
 * `minResponses` it is a Conflict).
 */
export async function calibrateQuestionPool(
  prisma: PrismaClient,
  jobs: Pick<JobQueue, 'enqueueCalibration'>,
  viewerOrNull: Viewer | null,
  input: z.input<typeof calibrateSchema>,
): Promise<CalibrationRun> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to calibrate a question pool.');
  const data = parseInput(calibrateSchema, input);
  const minResponses = data.minResponses ?? MIN_RESPONSES.default;
  await authoredPool(prisma, viewer, data.poolId);

  const replay = async (): Promise<CalibrationRun | null> => {
    const existing = await prisma.calibrationRun.findUnique({
      where: { requestedById_idempotencyKey: { requestedById: viewer.userId, idempotencyKey: data.idempotencyKey } },
    });
    if (existing && (existing.poolId !== data.poolId || existing.minResponses !== minResponses)) {
      throw new ConflictError(
        `The idempotency key "${data.idempotencyKey}" was already used for a different calibration.`,
      );
    }
    return existing;
  };
  const previous = await replay();
  if (previous) return previous;
  try {
    return await prisma.$transaction(async (tx) => {
      const run = await tx.calibrationRun.create({
        data: {
          poolId: data.poolId,
          requestedById: viewer.userId,
          minResponses,
          idempotencyKey: data.idempotencyKey,
        },
      });
      await jobs.enqueueCalibration(tx, run.id);
      return run;
    });
  } catch (error) {
    // A concurrent call with the same key won the insert: answer as that call did.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}

/** What a calibration job needs. */
export interface CalibrationDeps {
  prisma: PrismaClient;
  logger: Logger;
}

/**
 * The job of a calibration run: estimates the pool's items again from every stored response
 * of its sessions and stores the proposal (SUCCEEDED), or why it could not (FAILED). Each
 * session is one examinee: sessions of every status count, ended or not, since a response is
 * as good an observation whenever the session stops, and leaving out the sessions that were
 * abandoned or expired (likelier for those who struggled) would bias the difficulties. MML
 * uses each examinee's whole pattern, so the adaptive choice of items does not bias it.
 *
 * Delivered twice, it does the work once: a run already ended is left alone, and of two
 * deliveries at once (the first one's worker thought dead) only the first to finish writes.
 */
export async function processCalibrationRun(deps: CalibrationDeps, calibrationRunId: string): Promise<void> {
  const { prisma } = deps;
  const claimed = await prisma.calibrationRun.updateMany({
    where: { id: calibrationRunId, status: 'QUEUED' },
    data: { status: 'RUNNING', startedAt: new Date() },
  });
  const run = await prisma.calibrationRun.findUnique({ where: { id: calibrationRunId } });
  // Gone (its pool was deleted) or already ended; RUNNING without our claim: a delivery whose
  // worker died, whose work is done again here.
  if (!run || run.status !== 'RUNNING') return;
  if (claimed.count === 0) deps.logger.warn(`calibration ${run.id}: delivered again, estimating again`);
  const finish = (data: Prisma.CalibrationRunUpdateManyMutationInput) =>
    prisma.calibrationRun.updateMany({
      where: { id: run.id, status: 'RUNNING' },
      data: { ...data, finishedAt: new Date() },
    });
  try {
    const questions = await prisma.question.findMany({
      where: { poolId: run.poolId },
      select: { id: true, discrimination: true, difficulty: true, guessing: true },
      orderBy: { id: 'asc' },
    });
    const responses = await prisma.testResponse.findMany({
      where: { session: { poolId: run.poolId } },
      select: { sessionId: true, questionId: true, correct: true },
      orderBy: [{ sessionId: 'asc' }, { position: 'asc' }],
    });
    if (questions.length === 0) throw new CalibrationError('The pool has no questions.');
    if (responses.length === 0) throw new CalibrationError('The pool has no stored responses yet.');
    // On a thread of its own: the EM cycles take seconds on a large pool.
    const result = await calibrateItemsOffThread(
      responses.map((r) => ({ personId: r.sessionId, itemId: r.questionId, correct: r.correct })),
      questions.map((q) => ({
        itemId: q.id,
        discrimination: q.discrimination,
        difficulty: q.difficulty,
        guessing: q.guessing,
      })),
      { minResponses: run.minResponses },
    );
    const items = result.items.map((item): CalibratedItem => ({
      questionId: item.itemId,
      responses: item.responses,
      calibrated: !item.skipped,
      skipReason: item.skipReason,
      before: item.before,
      after: item.after,
      rmsd: item.fit?.rmsd ?? null,
    }));
    await finish({
      status: 'SUCCEEDED',
      items: items as unknown as Prisma.InputJsonArray,
      persons: result.persons,
      iterations: result.iterations,
      converged: result.converged,
    });
  } catch (error) {
    if (!(error instanceof AppError)) deps.logger.error(`calibration ${run.id} failed`, error);
    const message =
      error instanceof AppError
        ? error.message
        : 'The calibration failed unexpectedly; the server log has the details.';
    await finish({ status: 'FAILED', error: message });
  }
}

/** Why a calibration could not be made, in words for its requester. */
class CalibrationError extends AppError {
  override name = 'CalibrationError';
}

/** Ends a run whose job used up its retries: FAILED, so that no one waits for it. */
export async function abandonCalibrationRun(deps: CalibrationDeps, calibrationRunId: string): Promise<void> {
  const { count } = await deps.prisma.calibrationRun.updateMany({
    where: { id: calibrationRunId, status: { in: ['QUEUED', 'RUNNING'] } },
    data: {
      status: 'FAILED',
      error: 'The calibration job failed every time it was tried; ask for a new one.',
      finishedAt: new Date(),
    },
  });
  if (count > 0) deps.logger.error(`calibration ${calibrationRunId}: abandoned after its retries`);
}

/**
 * Accepts a SUCCEEDED run: the new discrimination and difficulty of the questions named (all
 * it calibrated by default) are written, and the pool's revision bumped so that every process
 * reads the pool again, in one transaction; the run becomes ACCEPTED. Accepting an accepted
 * run changes nothing; any other state is a Conflict.
 */
export async function acceptCalibration(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof acceptSchema>,
): Promise<CalibrationRun> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to accept a calibration.');
  const data = parseInput(acceptSchema, input);
  const run = await prisma.calibrationRun.findUnique({ where: { id: data.runId } });
  if (!run) throw new NotFoundError('CalibrationRun');
  await authoredPool(prisma, viewer, run.poolId);
  if (run.status === 'ACCEPTED') return run;
  if (run.status !== 'SUCCEEDED') {
    throw new ConflictError(`Only a finished calibration can be accepted; this one is ${run.status}.`);
  }
  const calibrated = new Map(
    calibratedItems(run).flatMap((item) => (item.after ? [[item.questionId, item.after] as const] : [])),
  );
  const chosen = data.questionIds ? [...new Set(data.questionIds)] : [...calibrated.keys()];
  const issues = (data.questionIds ?? []).flatMap((id, index) =>
    calibrated.has(id)
      ? []
      : [{ path: ['input', 'questionIds', String(index)], message: 'is not a question this run calibrated' }],
  );
  if (issues.length > 0) throw new InvalidInputError(issues);
  if (chosen.length === 0) throw new ConflictError('The run calibrated no question: there is nothing to accept.');

  const accepted = await prisma.$transaction(async (tx) => {
    const now = new Date();
    // The run's row is locked from here on: of two accepts at once, the second finds it ACCEPTED.
    const { count } = await tx.calibrationRun.updateMany({
      where: { id: run.id, status: 'SUCCEEDED' },
      data: { status: 'ACCEPTED', acceptedAt: now, acceptedById: viewer.userId, acceptedQuestionIds: chosen },
    });
    if (count === 0) return false;
    const after = chosen.map((id) => calibrated.get(id) ?? { discrimination: 0, difficulty: 0 });
    // One statement for the lot; `updatedAt` by hand, as Prisma sets it only on its own writes.
    await tx.$executeRaw`
      UPDATE "Question" AS q
      SET "discrimination" = v.a, "difficulty" = v.b, "updatedAt" = ${now}
      FROM unnest(${chosen}::uuid[], ${after.map((p) => p.discrimination)}::float8[], ${after.map((p) => p.difficulty)}::float8[]) AS v(id, a, b)
      WHERE q."id" = v.id AND q."poolId" = ${run.poolId}::uuid`;
    // Copies of the pool held by running processes are read again (api/adaptive/pools.ts).
    await tx.questionPool.update({ where: { id: run.poolId }, data: { revision: { increment: 1 } } });
    return true;
  });
  const stored = await prisma.calibrationRun.findUniqueOrThrow({ where: { id: run.id } });
  if (!accepted && stored.status !== 'ACCEPTED') {
    throw new ConflictError(`Only a finished calibration can be accepted; this one is ${stored.status}.`);
  }
  return stored;
}
