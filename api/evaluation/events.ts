/**
 * The append-only event stream of an evaluation run: numbered from 1, stored first, then
 * announced on the pubsub. Subscriptions read the store, so replay and live share one path.
 */
import type { PrismaClient } from '../db.js';
import type { EvaluationEvent, Prisma } from '../generated/prisma/client.js';
import type { PubSub } from '../pubsub.js';

/** Event types, as stored in `EvaluationEvent.type`. */
export const EVENT_TYPES = [
  'QUEUED',
  'STARTED',
  'TEST_CASE_FINISHED',
  'RUBRIC_CRITERION_SCORED',
  'DIAGNOSTIC_RECORDED',
  'COMPLETED',
  'FAILED',
] as const;
export type EvaluationEventType = (typeof EVENT_TYPES)[number];

/** Types after which the stream ends. */
export const TERMINAL_EVENT_TYPES: readonly EvaluationEventType[] = ['COMPLETED', 'FAILED'];

type Writer = Pick<PrismaClient, '$queryRaw'>;

/**
 * Appends an event with the next sequence number (in one statement, so two writers cannot
 * take the same number; the unique key would refuse it). Returns the stored row. Call
 * `announce` after the surrounding transaction commits.
 */
export async function appendEvent(
  db: Writer,
  runId: string,
  type: EvaluationEventType,
  payload: Prisma.InputJsonObject = {},
): Promise<{ id: string; sequence: number }> {
  const rows = await db.$queryRaw<{ id: string; sequence: number }[]>`
    INSERT INTO "EvaluationEvent" ("id", "runId", "sequence", "type", "payload", "at")
    SELECT gen_random_uuid(), ${runId}::uuid, COALESCE(MAX("sequence"), 0) + 1, ${type}, ${JSON.stringify(payload)}::jsonb, now()
    FROM "EvaluationEvent" WHERE "runId" = ${runId}::uuid
    RETURNING "id", "sequence"`;
  const row = rows[0];
  if (!row) throw new Error('appending an evaluation event returned nothing');
  return row;
}

/** Tells subscribers of the run that new events are stored. */
export function announce(pubsub: PubSub, runId: string, sequence: number): void {
  pubsub.publish('evaluation:event', runId, sequence);
}

/** Stored events of a run after `afterSequence`, in order. */
export function eventsAfter(prisma: PrismaClient, runId: string, afterSequence: number): Promise<EvaluationEvent[]> {
  return prisma.evaluationEvent.findMany({
    where: { runId, sequence: { gt: afterSequence } },
    orderBy: { sequence: 'asc' },
  });
}

/**
 * Follows a run's events: first those stored after `afterSequence`, then each new one as it
 * is stored, with no gap and no duplicate (the store is read after every wake-up, from the
 * last sequence delivered); ends after the terminal event. `pollMs` bounds how long a
 * missed wake-up (e.g. an event stored by another process) can delay delivery.
 */
export async function* followEvents(
  { prisma, pubsub }: { prisma: PrismaClient; pubsub: PubSub },
  runId: string,
  afterSequence = 0,
  options: { pollMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<EvaluationEvent> {
  const pollMs = options.pollMs ?? 1_000;
  const wakeups = pubsub.subscribe('evaluation:event', runId)[Symbol.asyncIterator]();
  let last = afterSequence;
  // One outstanding wake-up request, made before each read, so an event stored meanwhile is not missed.
  let woken = wakeups.next().then(() => true);
  try {
    for (;;) {
      for (const event of await eventsAfter(prisma, runId, last)) {
        last = event.sequence;
        yield event;
        if ((TERMINAL_EVENT_TYPES as readonly string[]).includes(event.type)) return;
      }
      if (options.signal?.aborted) return;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), pollMs)));
      if (await Promise.race([woken, timedOut])) woken = wakeups.next().then(() => true);
      clearTimeout(timer);
    }
  } finally {
    await wakeups.return?.();
  }
}
