/**
 * Running code before submitting (runCode): the student's code on the item's visible examples
 * and on arguments they type, ungraded. The run and its job are written in one transaction;
 * the same idempotency key returns the same run.
 */
import { z } from 'zod';
import { contentBodySchema } from '../content/body.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import type { JobQueue } from '../evaluation/jobs.js';
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from '../errors.js';
import { type CodeRun, Prisma } from '../generated/prisma/client.js';
import type { Language } from '../generated/prisma/enums.js';
import { idempotencyKeySchema, MAX_SOURCE_LENGTH } from './practice.js';

/** Largest `args` accepted, in bytes of JSON. */
export const MAX_ARGS_BYTES = 16 * 1024;

/** What a code run carries. */
export interface RunCodeInput {
  attemptId: string;
  language: Language;
  code: string;
  /** A JSON array of the entry point's arguments, as the student typed it; omitted: the examples alone. */
  args?: string | null;
  idempotencyKey?: string | null;
}

const runCodeSchema = z.object({
  attemptId: z.string(),
  language: z.enum(['JAVASCRIPT', 'TYPESCRIPT', 'PYTHON']),
  code: z
    .string()
    .max(MAX_SOURCE_LENGTH, `must be at most ${MAX_SOURCE_LENGTH} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty'),
  args: z.string().nullish(),
  idempotencyKey: idempotencyKeySchema.nullish(),
});

/** Reads the student's arguments: a JSON array, or null when none were typed. Bad ones are InvalidInput at `input.args`. */
export function parseRunArgs(text: string | null | undefined): unknown[] | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  const bad = (message: string) => InvalidInputError.at(['input', 'args'], message);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ARGS_BYTES) throw bad(`is too large: ${bytes} bytes, at most ${MAX_ARGS_BYTES}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bad(`is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(value)) {
    throw bad(`must be a JSON array of the function's arguments, e.g. [[2, 7, 11, 15], 9]; got ${typeof value}`);
  }
  return value;
}

/**
 * Queues a run of the student's code: each visible example, then their own arguments. It
 * changes no score, points or progress. With an idempotency key, a retry returns the first
 * run (the same key with other code or arguments is a Conflict).
 */
export async function runCode(
  prisma: PrismaClient,
  jobs: Pick<JobQueue, 'enqueueCodeRun'>,
  viewerOrNull: Viewer | null,
  input: RunCodeInput,
): Promise<CodeRun> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to run code.');
  const data = parseInput(runCodeSchema, input);
  const args = parseRunArgs(data.args);
  const argsJson = args === null ? Prisma.DbNull : (args as Prisma.InputJsonValue);

  const replay = async (): Promise<CodeRun | null> => {
    if (!data.idempotencyKey) return null;
    const existing = await prisma.codeRun.findUnique({
      where: { userId_idempotencyKey: { userId: viewer.userId, idempotencyKey: data.idempotencyKey } },
    });
    if (
      existing &&
      (existing.attemptId !== data.attemptId ||
        existing.language !== data.language ||
        existing.code !== data.code ||
        JSON.stringify(existing.args ?? null) !== JSON.stringify(args))
    ) {
      throw new ConflictError(`The idempotency key "${data.idempotencyKey}" was already used for a different run.`);
    }
    return existing;
  };
  const previous = await replay();
  if (previous) return previous;

  const attempt = await prisma.attempt.findFirst({
    where: { id: data.attemptId, userId: viewer.userId },
    select: { id: true, contentVersion: { select: { body: true } } },
  });
  if (!attempt) throw new NotFoundError('Attempt');
  const body = contentBodySchema.safeParse(attempt.contentVersion.body);
  if (!body.success || body.data.kind === 'SYSTEM_DESIGN') {
    throw InvalidInputError.at(['input', 'attemptId'], 'is an attempt on an item with no code to run');
  }

  try {
    return await prisma.$transaction(async (tx) => {
      // Runs are numbered per attempt: one numbering at a time.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`code-run:${attempt.id}`}))`;
      const last = await tx.codeRun.findFirst({
        where: { attemptId: attempt.id },
        orderBy: { number: 'desc' },
        select: { number: true },
      });
      const run = await tx.codeRun.create({
        data: {
          attemptId: attempt.id,
          userId: viewer.userId,
          number: (last?.number ?? 0) + 1,
          language: data.language,
          code: data.code,
          args: argsJson,
          idempotencyKey: data.idempotencyKey ?? null,
        },
      });
      await jobs.enqueueCodeRun(tx, run.id);
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
