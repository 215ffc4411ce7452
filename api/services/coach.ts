/**
 * Asking the coach: the student's turn and the coach's STREAMING turn are stored together,
 * under the per-user rate limit and daily token budget, then the coach starts writing.
 * A retried request (same idempotency key and message) returns the same coach turn.
 */
import { z } from 'zod';
import { type CoachPolicy, HINT_DEPTHS, STRICTNESS } from '../coach/policy.js';
import type { Coach, CoachLimits } from '../coach/turns.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { ConflictError, NotFoundError, parseInput, RateLimitedError } from '../errors.js';
import { Prisma, type Organization, type SocraticTurn } from '../generated/prisma/client.js';
import { addDays, localDay, localDayStart } from '../rewards/local-day.js';
import { requireOrganizationAdmin } from './access.js';
import { idempotencyKeySchema } from './practice.js';

/** Longest message a student may send the coach, in characters. */
export const MAX_COACH_MESSAGE_INPUT = 4_000;

const askSchema = z.object({
  attemptId: z.string(),
  message: z
    .string()
    .max(MAX_COACH_MESSAGE_INPUT, `must be at most ${MAX_COACH_MESSAGE_INPUT} characters`)
    .transform((value) => value.trim())
    .refine((value) => value.length > 0, 'must not be empty'),
  idempotencyKey: idempotencyKeySchema.nullish(),
});

type Transaction = Prisma.TransactionClient;

const seconds = (until: Date) => Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));

/** Throws RateLimited when the user asked too often this minute or used today's tokens. */
async function checkLimits(tx: Transaction, userId: string, limits: CoachLimits): Promise<void> {
  const recent = await tx.socraticTurn.findMany({
    where: { userId, role: 'COACH', createdAt: { gte: new Date(Date.now() - 60_000) } },
    orderBy: { createdAt: 'asc' },
    select: { createdAt: true },
  });
  const oldest = recent[0];
  if (oldest && recent.length >= limits.turnsPerMinute) {
    const retryAt = new Date(oldest.createdAt.getTime() + 60_000);
    throw new RateLimitedError(
      'COACH_TURNS_PER_MINUTE',
      retryAt,
      `You can ask the coach ${limits.turnsPerMinute} times a minute: try again in ${seconds(retryAt)} s.`,
    );
  }
  // Today, in the user's own time zone.
  const user = await tx.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  if (!user) return;
  const today = localDay(user.timeZone, new Date());
  const usage = await tx.llmInteraction.aggregate({
    where: { userId, purpose: 'COACH', createdAt: { gte: localDayStart(user.timeZone, today) } },
    _sum: { tokensIn: true, tokensOut: true },
  });
  if ((usage._sum.tokensIn ?? 0) + (usage._sum.tokensOut ?? 0) >= limits.dailyTokens) {
    const resetAt = localDayStart(user.timeZone, addDays(today, 1));
    throw new RateLimitedError(
      'COACH_DAILY_TOKENS',
      resetAt,
      `You have used today's coach budget of ${limits.dailyTokens} tokens: it renews at midnight in your time zone, in ${seconds(resetAt)} s.`,
    );
  }
}

/** Asks the coach about one of the viewer's attempts; returns the coach's turn (STREAMING when new). */
export async function askCoach(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  coach: Coach,
  input: { attemptId: string; message: string; idempotencyKey?: string | null },
): Promise<SocraticTurn> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to ask the coach.');
  const data = parseInput(askSchema, input);
  const key = data.idempotencyKey ?? null;

  const replay = async (): Promise<SocraticTurn | null> => {
    if (!key) return null;
    const asked = await prisma.socraticTurn.findUnique({
      where: { userId_idempotencyKey: { userId: viewer.userId, idempotencyKey: key } },
    });
    if (!asked) return null;
    if (asked.attemptId !== data.attemptId || asked.message !== data.message) {
      throw new ConflictError(`The idempotency key "${key}" was already used for a different message.`);
    }
    return prisma.socraticTurn.findUnique({
      where: { attemptId_index: { attemptId: asked.attemptId, index: asked.index + 1 } },
    });
  };
  const previous = await replay();
  if (previous) return previous;

  const attempt = await prisma.attempt.findFirst({
    where: { id: data.attemptId, userId: viewer.userId },
    select: { id: true },
  });
  if (!attempt) throw new NotFoundError('Attempt');
  await coach.expireOrphans({ attemptId: attempt.id });

  let turn: SocraticTurn;
  try {
    turn = await prisma.$transaction(async (tx) => {
      // One ask at a time per user, so the checks below cannot race.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`coach:${viewer.userId}`}))`;
      const busy = await tx.socraticTurn.findFirst({
        where: { attemptId: attempt.id, status: 'STREAMING' },
        select: { id: true },
      });
      if (busy) throw new ConflictError('The coach is still answering your previous message: wait for it to finish.');
      await checkLimits(tx, viewer.userId, coach.limits);
      const last = await tx.socraticTurn.findFirst({
        where: { attemptId: attempt.id },
        orderBy: { index: 'desc' },
        select: { index: true },
      });
      const index = (last?.index ?? -1) + 1;
      await tx.socraticTurn.create({
        data: {
          attemptId: attempt.id,
          userId: viewer.userId,
          index,
          role: 'STUDENT',
          status: 'COMPLETED',
          message: data.message,
          idempotencyKey: key,
          completedAt: new Date(),
        },
      });
      return tx.socraticTurn.create({
        data: {
          attemptId: attempt.id,
          userId: viewer.userId,
          index: index + 1,
          role: 'COACH',
          status: 'STREAMING',
          message: '',
          model: coach.model.name,
        },
      });
    });
  } catch (error) {
    // A concurrent request with the same key won: answer as it did.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
  coach.start(turn.id);
  return turn;
}

const policySchema = z.object({
  organizationId: z.string(),
  strictness: z.enum(STRICTNESS),
  hintDepth: z
    .number()
    .int()
    .min(0, 'must be from 0 to 3')
    .max(HINT_DEPTHS.length - 1, 'must be from 0 to 3'),
  avoidList: z
    .array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))
    .max(50, 'must hold at most 50 phrases')
    .transform((list) => [...new Set(list)]),
});

/** Sets an organization's coach policy; admins of the organization only. Setting it again changes nothing. */
export async function setCoachPolicy(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: { organizationId: string } & CoachPolicy,
): Promise<Organization> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to change the coach policy.');
  const { organizationId, ...policy } = parseInput(policySchema, input);
  requireOrganizationAdmin(viewer, organizationId, 'set its coach policy');
  return prisma.organization.update({ where: { id: organizationId }, data: { coachPolicy: policy } });
}
