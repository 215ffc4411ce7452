/**
 * Writing and following coach turns. A turn is written in the background: its context is
 * loaded, the model streams, the visible text is stored then announced (so a late
 * subscriber reads the text so far from the store and follows the rest), the output is
 * validated, and the turn ends COMPLETED (the reply, or a safe question when the guard
 * withheld it) or FAILED, with every call stored as an LlmInteraction, in one transaction.
 */
import { contentBodySchema } from '../content/body.js';
import type { PrismaClient } from '../db.js';
import { attemptOrganizationId } from '../content/organization.js';
import type { Prisma, SocraticTurn } from '../generated/prisma/client.js';
import { type LlmCall, LlmUpstreamError } from '../llm/client.js';
import { type InteractionOwner, recordInteractions } from '../llm/record.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub.js';
import { buildEvidence, type CodeRunEvidence, type StudentCode } from './evidence.js';
import { createGuard, safeFallbackTurn } from './guard.js';
import type { CoachFailureReason, CoachModel } from './model.js';
import { parseCoachPolicy } from './policy.js';
import type { CoachContext } from './prompt.js';

/** Limits that apply to every turn. */
export interface CoachLimits {
  turnsPerMinute: number;
  dailyTokens: number;
  /** Longest a turn may take; a STREAMING turn older than this (plus a grace) was orphaned. */
  deadlineMs: number;
}

/** Writes coach turns in the background of this process. */
export interface Coach {
  readonly model: CoachModel;
  readonly limits: CoachLimits;
  /** Starts writing a STREAMING coach turn; returns at once. */
  start(turnId: string): void;
  /** Follows a turn's text and its end (`followTurn`). */
  follow(turnId: string): AsyncGenerator<CoachTurnEvent>;
  /** Ends the STREAMING turns matching `where` whose writer must be gone (`expireOrphanedTurns`). */
  expireOrphans(where: Prisma.SocraticTurnWhereInput): Promise<void>;
  /** Interrupts the turns being written (they end FAILED, INTERRUPTED) and waits for them. */
  stop(): Promise<void>;
}

/** Where turns are kept, and where their changes are announced. */
export interface TurnStore {
  prisma: PrismaClient;
  pubsub: PubSub;
}

/** How long past its deadline a STREAMING turn is declared orphaned (its process died). */
const ORPHAN_GRACE_MS = 30_000;

/** Ends STREAMING turns (matching `where`) whose writer must be gone: FAILED, INTERRUPTED. */
async function expireOrphanedTurns(
  { prisma, pubsub }: TurnStore,
  where: Prisma.SocraticTurnWhereInput,
  deadlineMs: number,
): Promise<void> {
  const orphans = await prisma.socraticTurn.findMany({
    where: { ...where, status: 'STREAMING', createdAt: { lt: new Date(Date.now() - deadlineMs - ORPHAN_GRACE_MS) } },
    select: { id: true },
  });
  for (const { id } of orphans) {
    const { count } = await prisma.socraticTurn.updateMany({
      where: { id, status: 'STREAMING' },
      data: { status: 'FAILED', failureReason: 'INTERRUPTED', message: '', completedAt: new Date() },
    });
    if (count) pubsub.publish('coach:turn', id, { type: 'done' });
  }
}

/** Everything one turn is written from, plus what the guard compares it with. */
async function loadTurn(prisma: PrismaClient, turnId: string, defaultModel: string) {
  const turn = await prisma.socraticTurn.findUniqueOrThrow({
    where: { id: turnId },
    include: { attempt: { include: { contentVersion: true, contentItem: true } } },
  });
  const { attempt } = turn;
  const body = contentBodySchema.parse(attempt.contentVersion.body);
  const [earlier, run, submission, snapshot, codeRun, assignment] = await Promise.all([
    prisma.socraticTurn.findMany({
      where: { attemptId: attempt.id, index: { lt: turn.index }, status: 'COMPLETED' },
      orderBy: { index: 'asc' },
      select: { role: true, message: true, question: true },
    }),
    prisma.evaluationRun.findFirst({
      where: { attemptId: attempt.id, status: 'SUCCEEDED' },
      orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
      include: {
        testResults: { orderBy: { testIndex: 'asc' } },
        rubricScores: { orderBy: { criterionKey: 'asc' } },
        diagnostics: { orderBy: { code: 'asc' } },
      },
    }),
    prisma.submission.findFirst({
      where: { attemptId: attempt.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { language: true, code: true, answerText: true, createdAt: true },
    }),
    prisma.solutionSnapshot.findFirst({
      where: { attemptId: attempt.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { language: true, code: true, createdAt: true },
    }),
    // The latest code run that finished: what the student last tried their code on.
    prisma.codeRun.findFirst({
      where: { attemptId: attempt.id, status: 'SUCCEEDED' },
      orderBy: { number: 'desc' },
      select: { id: true, number: true, calls: true },
    }),
    // The assignment of this item to a class the student takes: its organization, model and references.
    prisma.assignment.findFirst({
      where: {
        contentItemId: attempt.contentItemId,
        class: { enrollments: { some: { userId: turn.userId, role: 'STUDENT' } } },
      },
      orderBy: { createdAt: 'desc' },
      select: {
        classId: true,
        referenceSolutions: true,
        class: { select: { organizationId: true } },
        llmModel: { select: { provider: true, name: true } },
      },
    }),
  ]);
  const organizationId = await attemptOrganizationId(
    prisma,
    {
      userId: turn.userId,
      contentItemId: attempt.contentItemId,
      itemOrganizationId: attempt.contentItem.organizationId,
    },
    assignment?.class.organizationId ?? null,
  );
  const [organization, notes] = organizationId
    ? await Promise.all([
        prisma.organization.findUnique({ where: { id: organizationId }, select: { coachPolicy: true } }),
        prisma.knowledgeEntry.findMany({
          where: {
            organizationId,
            AND: [
              { OR: [{ classId: null }, ...(assignment ? [{ classId: assignment.classId }] : [])] },
              { OR: [{ contentItemId: null }, { contentItemId: attempt.contentItemId }] },
            ],
          },
          orderBy: { createdAt: 'desc' },
          take: 10,
          select: { title: true, body: true },
        }),
      ])
    : [null, []];

  // The newer of the latest code submission and the latest draft.
  const latest = [submission, snapshot]
    .filter((row): row is NonNullable<typeof row> => Boolean(row?.code && row.language))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  const code: StudentCode | null =
    latest?.code && latest.language
      ? { language: latest.language, code: latest.code, source: latest === submission ? 'submission' : 'draft' }
      : null;
  const student = earlier.at(-1);
  const history = earlier.slice(0, -1);
  const evidence = buildEvidence(
    body,
    run,
    code,
    codeRun ? { ...codeRun, calls: codeRun.calls as unknown as CodeRunEvidence['calls'] } : null,
  );
  const policy = parseCoachPolicy(organization?.coachPolicy);
  const context: CoachContext = {
    title: attempt.contentItem.title,
    track: attempt.contentItem.track,
    statement: body.statement,
    evidence,
    policy,
    notes,
    history: history.map((entry) => ({ role: entry.role, message: entry.message, question: entry.question })),
    answer: submission?.answerText ?? null,
    message: student?.role === 'STUDENT' ? student.message : '',
    model: assignment?.llmModel?.provider === 'anthropic' ? assignment.llmModel.name : defaultModel,
  };
  const referenceSolutions = [
    ...(body.kind === 'SYSTEM_DESIGN' ? [] : Object.values(body.referenceSolution)),
    ...Object.values((assignment?.referenceSolutions ?? {}) as Record<string, unknown>).filter(
      (value): value is string => typeof value === 'string',
    ),
  ];
  const known = [
    body.statement,
    ...(body.kind === 'SYSTEM_DESIGN' ? [] : Object.values(body.starterCode)),
    code?.code ?? '',
    submission?.answerText ?? '',
  ];
  const guard = createGuard({ policy, evidence, referenceSolutions, known });
  return { turn, context, guard, organizationId };
}

/**
 * Stores the visible text of a streaming turn and announces each addition. Writes are
 * sequential and coalesce: while one is in flight, later text waits and goes in one write.
 */
function createTextWriter({ prisma, pubsub }: TurnStore, turnId: string, logger: Logger) {
  let shown = '';
  let pending = '';
  let writing: Promise<void> | null = null;
  let broken = false;
  const drain = async () => {
    try {
      while (pending.length > shown.length) {
        const next = pending;
        await prisma.socraticTurn.updateMany({ where: { id: turnId, status: 'STREAMING' }, data: { message: next } });
        pubsub.publish('coach:turn', turnId, { type: 'delta', offset: shown.length, text: next.slice(shown.length) });
        shown = next;
      }
    } catch (error) {
      // Deltas are a courtesy: the final event carries the turn. Stop streaming, keep writing the turn.
      broken = true;
      logger.warn(`coach turn ${turnId}: streaming stopped`, error);
    } finally {
      writing = null;
    }
  };
  return {
    /** `text` is the whole visible text so far (it only grows). */
    write(text: string) {
      if (broken || !text.startsWith(pending) || text.length === pending.length) return;
      pending = text;
      writing ??= drain();
    },
    /** Waits for the stored text to catch up. */
    async flush() {
      while (writing) await writing;
    },
  };
}

/** Writes one turn to its end: every failure ends the turn FAILED (it throws only if even that cannot be stored). */
async function writeTurn(
  deps: TurnStore & { model: CoachModel; logger: Logger },
  turnId: string,
  signal: AbortSignal,
): Promise<void> {
  const { prisma, pubsub, model } = deps;
  /** Ends the turn; `calls` (made for `owner`) are stored with it. */
  const finish = async (
    data: Prisma.SocraticTurnUpdateManyMutationInput,
    calls: readonly LlmCall[] = [],
    owner?: InteractionOwner,
  ) => {
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.socraticTurn.updateMany({
        where: { id: turnId, status: 'STREAMING' },
        // The model that answered last (an assignment may name another than the default).
        data: { ...data, model: calls.at(-1)?.model ?? model.name, completedAt: new Date() },
      });
      if (count > 0 && owner) await recordInteractions(tx, calls, owner);
    });
    pubsub.publish('coach:turn', turnId, { type: 'done' });
  };
  const failWith = (reason: CoachFailureReason, calls: readonly LlmCall[] = [], owner?: InteractionOwner) =>
    finish(
      { status: 'FAILED', failureReason: reason, message: '', action: null, question: null, evidence: [] },
      calls,
      owner,
    );

  let loaded: Awaited<ReturnType<typeof loadTurn>>;
  try {
    loaded = await loadTurn(prisma, turnId, model.name);
  } catch (error) {
    deps.logger.error(`coach turn ${turnId}: loading its context failed`, error);
    await failWith('INTERNAL_ERROR').catch(() => undefined);
    return;
  }
  const { turn, context, guard } = loaded;
  const owner: InteractionOwner = {
    purpose: 'COACH',
    userId: turn.userId,
    attemptId: turn.attemptId,
    turnId,
    organizationId: loaded.organizationId,
  };
  const writer = createTextWriter(deps, turnId, deps.logger);
  // Only the first call that shows text streams; a retry after a cut stays silent until the final event.
  let streamingCall: number | null = null;
  let held = false;
  try {
    const result = await model.reply(
      context,
      {
        text(text, call) {
          streamingCall ??= call;
          if (held || call !== streamingCall) return;
          // Stop showing text the moment it could be solution code; the final event decides.
          if (text.includes('```') || guard.leak(text)) {
            held = true;
            return;
          }
          writer.write(text);
        },
      },
      signal,
    );
    await writer.flush();
    const verdict = guard.validate(result.output);
    const content = verdict.ok ? verdict.turn : safeFallbackTurn(context.evidence);
    // The guard withheld the reply: its call is flagged with the guard's reason.
    const used = result.calls.at(-1);
    if (!verdict.ok && used) used.flagReason = `${verdict.reason.code}: ${verdict.reason.detail}`;
    await finish(
      {
        status: 'COMPLETED',
        action: content.action,
        message: content.message,
        question: content.question,
        evidence: content.evidence as unknown as Prisma.InputJsonArray,
      },
      result.calls,
      owner,
    );
  } catch (error) {
    await writer.flush();
    if (error instanceof LlmUpstreamError) {
      await failWith(signal.aborted ? 'INTERRUPTED' : error.reason, error.calls, owner);
      return;
    }
    deps.logger.error(`coach turn ${turnId} failed`, error);
    await failWith(signal.aborted ? 'INTERRUPTED' : 'INTERNAL_ERROR').catch(() => undefined);
  }
}

/** The coach of this process. */
export function createCoach(deps: {
  prisma: PrismaClient;
  pubsub: PubSub;
  model: CoachModel;
  logger: Logger;
  limits: CoachLimits;
}): Coach {
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  return {
    model: deps.model,
    limits: deps.limits,
    start(turnId) {
      if (running.has(turnId)) return;
      const controller = new AbortController();
      const done = writeTurn(deps, turnId, controller.signal)
        .catch((error: unknown) => deps.logger.error(`coach turn ${turnId}: could not be stored`, error))
        .finally(() => running.delete(turnId));
      running.set(turnId, { controller, done });
    },
    follow: (turnId) => followTurn(deps, turnId, { deadlineMs: deps.limits.deadlineMs }),
    expireOrphans: (where) => expireOrphanedTurns(deps, where, deps.limits.deadlineMs),
    async stop() {
      const entries = [...running.values()];
      for (const entry of entries) entry.controller.abort();
      await Promise.all(entries.map((entry) => entry.done));
    },
  };
}

/** What a subscriber of a turn receives. */
export type CoachTurnEvent =
  | { type: 'DELTA'; offset: number; text: string }
  | { type: 'COMPLETED'; turn: SocraticTurn }
  | { type: 'FAILED'; turn: SocraticTurn };

/**
 * Follows a turn: the text stored so far as one delta, then each addition as it is stored,
 * then exactly one COMPLETED or FAILED. Deltas carry their offset, so none is repeated or
 * skipped; on a gap, or a quiet `pollMs`, the store is read again.
 */
async function* followTurn(
  store: TurnStore,
  turnId: string,
  options: { deadlineMs: number; pollMs?: number },
): AsyncGenerator<CoachTurnEvent> {
  // Announcements carry the text; the store is read again only on a gap, at the end, or after
  // a quiet spell (a missed announcement), so thousands of followers cost no reads while text flows.
  const pollMs = options.pollMs ?? 5_000;
  const { prisma } = store;
  const signals = store.pubsub.subscribe('coach:turn', turnId)[Symbol.asyncIterator]();
  let delivered = 0;
  let next = signals.next();
  try {
    for (;;) {
      const turn = await prisma.socraticTurn.findUniqueOrThrow({ where: { id: turnId } });
      if (turn.status !== 'STREAMING') {
        yield turn.status === 'COMPLETED' ? { type: 'COMPLETED', turn } : { type: 'FAILED', turn };
        return;
      }
      if (turn.message.length > delivered) {
        yield { type: 'DELTA', offset: delivered, text: turn.message.slice(delivered) };
        delivered = turn.message.length;
      }
      // Only a turn past its deadline can be orphaned: no query for the others.
      if (Date.now() - turn.createdAt.getTime() > options.deadlineMs + ORPHAN_GRACE_MS) {
        await expireOrphanedTurns(store, { id: turnId }, options.deadlineMs);
      }
      // Follow announcements until one cannot be applied in order, the turn ends, or it is quiet.
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), pollMs)));
        const result = await Promise.race([next, quiet]);
        clearTimeout(timer);
        if (result === null || result.done) break;
        next = signals.next();
        const signal = result.value;
        if (signal.type !== 'delta' || signal.offset > delivered) break;
        const fresh = signal.text.slice(delivered - signal.offset);
        if (!fresh) continue;
        yield { type: 'DELTA', offset: delivered, text: fresh };
        delivered += fresh.length;
      }
    }
  } finally {
    await signals.return?.();
  }
}
