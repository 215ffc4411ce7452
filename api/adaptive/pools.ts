/**
 * A process's copies of question pools, so that choosing the next question does not read the
 * whole pool each time. A copy is keyed by the pool's `revision`, which every change to its
 * questions bumps in the same transaction: a copy older than the stored revision is read
 * again, so every process sees a change at its next read. The exposure counts change with
 * every session and are not copied.
 */
import type { PrismaClient } from '../db.js';
import type { Prisma, Question } from '../generated/prisma/client.js';
import { engineItem, type EngineItem, exposureCap } from './engine.js';

/** A pool as of one revision. */
export interface CachedPool {
  id: string;
  revision: number;
  /** Every question, retired ones too (past responses keep them), by id. */
  questions: ReadonlyMap<string, Question>;
  /** The questions as the engine sees them, retired ones too. */
  items: readonly EngineItem[];
}

/** Where a pool stands now: its copy, and how many sessions it has had. */
export interface PoolNow {
  pool: CachedPool;
  sessionCount: number;
}

export interface PoolCache {
  /** The pool's current copy and session count; null when there is no such pool. */
  load(db: PrismaClient | Prisma.TransactionClient, poolId: string): Promise<PoolNow | null>;
  /** The pool's active questions at their exposure cap (see `exposureCap`). */
  overexposed(db: PrismaClient | Prisma.TransactionClient, now: PoolNow): Promise<Set<string>>;
}

/** What adaptive tests share within a process. */
export interface AdaptiveOptions {
  /** Minutes without an answer after which a session expires (ADAPTIVE_SESSION_IDLE_MINUTES). */
  idleMinutes: number;
  /** The process's copies of the pools. */
  pools: PoolCache;
}

/** Holds the copies of up to `capacity` pools, the least recently used dropped first. */
export function createPoolCache(capacity = 32): PoolCache {
  const copies = new Map<string, CachedPool>();
  return {
    async load(db, poolId) {
      const head = await db.questionPool.findUnique({
        where: { id: poolId },
        select: { revision: true, sessionCount: true },
      });
      if (!head) return null;
      let pool = copies.get(poolId);
      if (!pool || pool.revision !== head.revision) {
        const questions = await db.question.findMany({ where: { poolId } });
        pool = {
          id: poolId,
          revision: head.revision,
          questions: new Map(questions.map((question) => [question.id, question])),
          items: questions.map(engineItem),
        };
      }
      copies.delete(poolId);
      copies.set(poolId, pool);
      for (const stale of copies.keys()) {
        if (copies.size <= capacity) break;
        copies.delete(stale);
      }
      return { pool, sessionCount: head.sessionCount };
    },
    async overexposed(db, { pool, sessionCount }) {
      const rows = await db.question.findMany({
        where: { poolId: pool.id, status: 'ACTIVE', administered: { gte: exposureCap(sessionCount) } },
        select: { id: true },
      });
      return new Set(rows.map((row) => row.id));
    },
  };
}
