/**
 * Who owns a run. pg-boss delivers each run's job to one worker at a time (and again to another
 * worker when the first stops sending heartbeats); the worker that takes a run writes itself into
 * `leaseOwner`, and every later write checks it is still the owner. A worker presumed dead that
 * was only slow therefore cannot record a result or complete a run its successor took over
 * (every write of a result checks `leaseOwner` in the same statement).
 */
import type { PrismaClient } from '../db.js';

/** A run taken over by a worker. */
export interface ClaimedRun {
  id: string;
  claimCount: number;
}

/**
 * Makes `owner` the run's owner, if the run is still to be evaluated (QUEUED, or RUNNING under a
 * worker presumed dead). Null when it already ended (a duplicate delivery has nothing to do).
 */
export async function claimRun(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  runId: string,
  owner: string,
): Promise<ClaimedRun | null> {
  const rows = await prisma.$queryRaw<ClaimedRun[]>`
    UPDATE "EvaluationRun"
    SET "status" = 'RUNNING', "leaseOwner" = ${owner}, "claimCount" = "claimCount" + 1,
        "startedAt" = COALESCE("startedAt", now())
    WHERE "id" = ${runId}::uuid AND "status" IN ('QUEUED', 'RUNNING')
    RETURNING "id", "claimCount"`;
  return rows[0] ?? null;
}

/** Where a queued run stands: 1 when it is next. Null once it is no longer queued. */
export async function queuePosition(
  prisma: Pick<PrismaClient, 'evaluationRun'>,
  run: { id: string; status: string; queuedAt: Date },
): Promise<number | null> {
  if (run.status !== 'QUEUED') return null;
  const ahead = await prisma.evaluationRun.count({
    where: {
      status: 'QUEUED',
      OR: [{ queuedAt: { lt: run.queuedAt } }, { queuedAt: run.queuedAt, id: { lt: run.id } }],
    },
  });
  return ahead + 1;
}
