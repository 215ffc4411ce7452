/**
 * Practice: attempts (pinned to the published version they started on), drafts, and
 * submissions, which queue an evaluation run. Every write a retry could repeat is idempotent.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from '../errors.js';
import { type Attempt, Prisma, type SolutionSnapshot, type Submission } from '../generated/prisma/client.js';
import type { EvaluationKind, Language, Track } from '../generated/prisma/enums.js';
import { announce, appendEvent } from '../evaluation/events.js';
import type { JobQueue } from '../evaluation/jobs.js';
import type { PubSub } from '../pubsub.js';
import { queuePosition } from '../evaluation/queue.js';
import { visibleContentWhere } from './content.js';
import { countAttemptStarted } from '../rewards/outcome.js';

/** Largest code or answer accepted, in characters. */
export const MAX_SOURCE_LENGTH = 64 * 1024;

export const EVALUATION_KIND: Record<Track, EvaluationKind> = {
  CODING_INTERVIEW: 'CODING_TESTS',
  DEBUG_LAB: 'DEBUG_DIAGNOSTICS',
  SYSTEM_DESIGN: 'RUBRIC',
};

/** Why anonymous visitors are refused. */
const SIGN_IN = 'Sign in to practice.';

/** The viewer's own attempt, or NotFound (another person's attempt is not revealed). */
async function ownAttempt(prisma: PrismaClient, viewer: Viewer, attemptId: string): Promise<Attempt> {
  const attempt = await prisma.attempt.findFirst({ where: { id: attemptId, userId: viewer.userId } });
  if (!attempt) throw new NotFoundError('Attempt');
  return attempt;
}

/**
 * Starts an attempt on the item's current published version, or returns the viewer's
 * ACTIVE attempt on it. Concurrent calls create one attempt.
 */
export async function startAttempt(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  contentItemId: string,
): Promise<Attempt> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const item = await prisma.contentItem.findFirst({
    where: { id: contentItemId, AND: [visibleContentWhere(viewer)] },
    select: { id: true, currentVersionId: true },
  });
  if (!item?.currentVersionId) throw new NotFoundError('ContentItem');
  const versionId = item.currentVersionId;
  return prisma.$transaction(async (tx) => {
    // One starter at a time per user and item, so the check below cannot race.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`attempt:${viewer.userId}:${item.id}`}))`;
    const active = await tx.attempt.findFirst({
      where: { userId: viewer.userId, contentItemId: item.id, status: 'ACTIVE' },
    });
    if (active) return active;
    await countAttemptStarted(tx, viewer.userId, item.id);
    return tx.attempt.create({ data: { userId: viewer.userId, contentItemId: item.id, contentVersionId: versionId } });
  });
}

/** Abandons an ACTIVE attempt; abandoning twice is a no-op; a completed attempt cannot be abandoned. */
export async function abandonAttempt(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  attemptId: string,
): Promise<Attempt> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const attempt = await ownAttempt(prisma, viewer, attemptId);
  if (attempt.status === 'ABANDONED') return attempt;
  if (attempt.status === 'COMPLETED') throw new ConflictError('This attempt is already completed.');
  const { count } = await prisma.attempt.updateMany({
    where: { id: attempt.id, status: 'ACTIVE' },
    data: { status: 'ABANDONED' },
  });
  const updated = await prisma.attempt.findUniqueOrThrow({ where: { id: attempt.id } });
  if (count === 0 && updated.status !== 'ABANDONED') throw new ConflictError('This attempt is already completed.');
  return updated;
}

const languageSchema = z.enum(['JAVASCRIPT', 'TYPESCRIPT', 'PYTHON']);
const code = z
  .string()
  .max(MAX_SOURCE_LENGTH, `must be at most ${MAX_SOURCE_LENGTH} characters`)
  .refine((value) => value.trim().length > 0, 'must not be empty');

const saveDraftSchema = z.object({ attemptId: z.string(), language: languageSchema, code });

/** Appends a snapshot of the draft; saving the same code again returns the latest snapshot. */
export async function saveDraft(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: { attemptId: string; language: Language; code: string },
): Promise<SolutionSnapshot> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const data = parseInput(saveDraftSchema, input);
  const attempt = await ownAttempt(prisma, viewer, data.attemptId);
  if (attempt.status !== 'ACTIVE') throw new ConflictError(`This attempt is ${attempt.status.toLowerCase()}.`);
  const latest = await prisma.solutionSnapshot.findFirst({
    where: { attemptId: attempt.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  if (latest && latest.language === data.language && latest.code === data.code) return latest;
  return prisma.solutionSnapshot.create({ data: { attemptId: attempt.id, language: data.language, code: data.code } });
}

/** What a submission carries. */
export interface SubmitSolutionInput {
  attemptId: string;
  language?: Language | null;
  code?: string | null;
  answer?: string | null;
  bugLine?: number | null;
  idempotencyKey: string;
}

/** A client's idempotency key: what makes a retried write return what the first one did. */
export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\w.:-]+$/, 'may hold only letters, digits and . _ : -');

const submitSchema = z.object({
  attemptId: z.string(),
  language: languageSchema.nullish(),
  code: code.nullish(),
  answer: z.string().max(MAX_SOURCE_LENGTH, `must be at most ${MAX_SOURCE_LENGTH} characters`).nullish(),
  bugLine: z.number().int().positive('must be a line number (1 or more)').nullish(),
  idempotencyKey: idempotencyKeySchema,
});

/** What each track needs in a submission. */
function checkPayloadForTrack(track: Track, data: z.infer<typeof submitSchema>): void {
  const issues: { path: string[]; message: string }[] = [];
  const needs = (field: 'language' | 'code' | 'answer', why: string) => {
    const value = data[field];
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
      issues.push({ path: ['input', field], message: why });
    }
  };
  if (track === 'CODING_INTERVIEW' || track === 'DEBUG_LAB') {
    needs('language', 'is required for code submissions');
    needs('code', 'is required for code submissions');
  }
  if (track === 'DEBUG_LAB') needs('answer', 'is required: describe the bug you found (your diagnosis)');
  if (track === 'SYSTEM_DESIGN') needs('answer', 'is required: write your design');
  if (issues.length > 0) throw new InvalidInputError(issues);
}

function payloadHash(data: z.infer<typeof submitSchema>): string {
  const payload = [data.attemptId, data.language ?? null, data.code ?? null, data.answer ?? null, data.bugLine ?? null];
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex');
}

/**
 * Creates a submission, its QUEUED evaluation run and the run's job, in one transaction. The
 * same idempotency key with the same payload returns the first submission; with another
 * payload it is a Conflict.
 */
export async function submitSolution(
  { prisma, jobs, pubsub }: { prisma: PrismaClient; jobs: Pick<JobQueue, 'enqueue'>; pubsub: PubSub },
  viewerOrNull: Viewer | null,
  input: SubmitSolutionInput,
): Promise<Submission> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const data = parseInput(submitSchema, input);
  const hash = payloadHash(data);

  const replay = async (): Promise<Submission | null> => {
    const existing = await prisma.submission.findUnique({
      where: { userId_idempotencyKey: { userId: viewer.userId, idempotencyKey: data.idempotencyKey } },
    });
    if (existing && existing.payloadHash !== hash) {
      throw new ConflictError(
        `The idempotency key "${data.idempotencyKey}" was already used for a different submission.`,
      );
    }
    return existing;
  };

  const previous = await replay();
  if (previous) return previous;

  const attempt = await prisma.attempt.findFirst({
    where: { id: data.attemptId, userId: viewer.userId },
    include: { contentItem: { select: { track: true } } },
  });
  if (!attempt) throw new NotFoundError('Attempt');
  if (attempt.status !== 'ACTIVE')
    throw new ConflictError(`This attempt is ${attempt.status.toLowerCase()}: start a new one.`);
  checkPayloadForTrack(attempt.contentItem.track, data);

  try {
    const created = await prisma.$transaction(async (tx) => {
      const submission = await tx.submission.create({
        data: {
          attemptId: attempt.id,
          userId: viewer.userId,
          language: data.language ?? null,
          code: data.code ?? null,
          answerText: data.answer ?? null,
          answerJson: data.bugLine ? { bugLine: data.bugLine } : Prisma.DbNull,
          idempotencyKey: data.idempotencyKey,
          payloadHash: hash,
        },
      });
      const run = await tx.evaluationRun.create({
        data: { submissionId: submission.id, attemptId: attempt.id, kind: EVALUATION_KIND[attempt.contentItem.track] },
      });
      await jobs.enqueue(tx, run.id);
      const position = await queuePosition(tx, run);
      const event = await appendEvent(tx, run.id, 'QUEUED', { position });
      return { submission, runId: run.id, sequence: event.sequence };
    });
    announce(pubsub, created.runId, created.sequence);
    return created.submission;
  } catch (error) {
    // A concurrent call with the same key won the insert: answer as that call did.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}
