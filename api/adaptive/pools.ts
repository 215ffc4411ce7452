/**
 * A process's copies of question pools, so that choosing the next question does not read the
 * whole pool each time. A copy is keyed by the pool's `revision`, which every change to its
 * questions bumps in the same transaction: a copy older than the stored revision is read
 * again, so every process sees a change at its next read. The exposure counts change with
 * every session and are not copied.
 */
import type { PrismaClient } from '../db.js';
import type { Prisma, Question } from '../generated/prisma/client.js';
import { engineItem, type EngineItem, EXPOSURE_WARM_UP_SESSIONS, MAX_EXPOSURE_RATE } from './engine.js';
import type { Lookahead } from './lookahead.js';

/** A pool as of one revision. */
export interface CachedPool {
  id: string;
  revision: number;
  /** Every question, retired ones too (past responses keep them), by id. */
  questions: ReadonlyMap<string, Question>;
  /** The questions as the engine sees them, retired ones too. */
  items: readonly EngineItem[];
  /** The same, by id. */
  itemsById: ReadonlyMap<string, EngineItem>;
  /** The active ones: those a session may be asked. */
  active: readonly EngineItem[];
}

/** Where a pool stands now: its copy, how many sessions it has had, and its spent questions. */
export interface PoolNow {
  pool: CachedPool;
  sessionCount: number;
  /** Sessions a question may be given to now (`exposureCap` of the session count). */
  cap: number;
  /** The pool's active questions at that cap: `Draw.overexposed`. */
  overexposed: ReadonlySet<string>;
}

export interface PoolCache {
  /**
   * The pool's current copy, session count and overexposed questions, read in one statement
   * (the copy itself only when its revision changed); null when there is no such pool.
   */
  load(db: PrismaClient | Prisma.TransactionClient, poolId: string): Promise<PoolNow | null>;
}

/** What adaptive tests share within a process. */
export interface AdaptiveOptions {
  /** Minutes without an answer after which a session expires (ADAPTIVE_SESSION_IDLE_MINUTES). */
  idleMinutes: number;
  /** The process's copies of the pools. */
  pools: PoolCache;
  /** Works out answers' outcomes ahead of them (none: each answer works out its own). */
  lookahead?: Lookahead;
}

/** Holds the copies of up to `capacity` pools, the least recently used dropped first. */
export function createPoolCache(capacity = 32): PoolCache {
  const copies = new Map<string, CachedPool>();
  return {
    async load(db, poolId) {
      // The cap as `exposureCap` computes it, from the session count read in the same statement.
      const [head] = await db.$queryRaw<
        { revision: number; sessionCount: number; cap: number; overexposed: string[] }[]
      >`
        SELECT h."revision", h."sessionCount", h."cap",
          ARRAY(SELECT q."id"::text FROM "Question" q
                WHERE q."poolId" = h."id" AND q."status" = 'ACTIVE' AND q."administered" >= h."cap") AS "overexposed"
        FROM (SELECT p."id", p."revision", p."sessionCount",
                floor(${MAX_EXPOSURE_RATE}::float8 * greatest(p."sessionCount", ${EXPOSURE_WARM_UP_SESSIONS}::int))::int AS "cap"
              FROM "QuestionPool" p WHERE p."id" = ${poolId}::uuid) h`;
      if (!head) return null;
      let pool = copies.get(poolId);
      if (!pool || pool.revision !== head.revision) {
        const questions = await db.question.findMany({ where: { poolId } });
        const items = questions.map(engineItem);
        pool = {
          id: poolId,
          revision: head.revision,
          questions: new Map(questions.map((question) => [question.id, question])),
          items,
          itemsById: new Map(items.map((item) => [item.id, item])),
          active: items.filter((_, i) => questions[i]?.status === 'ACTIVE'),
        };
      }
      copies.delete(poolId);
      copies.set(poolId, pool);
      for (const stale of copies.keys()) {
        if (copies.size <= capacity) break;
        copies.delete(stale);
      }
      return { pool, sessionCount: head.sessionCount, cap: head.cap, overexposed: new Set(head.overexposed) };
    },
  };
}
