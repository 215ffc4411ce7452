/**
 * The evaluation queue lives in the database: workers claim QUEUED runs (or RUNNING ones
 * whose lease expired, after a worker died) with `FOR UPDATE SKIP LOCKED`, hold them under
 * a lease they renew, and finish them only while they still own the lease.
 */
import type { PrismaClient } from '../db.js';

/** A claimed run. */
export interface ClaimedRun {
  id: string;
  claimCount: number;
}

/** Claims the oldest claimable run for `workerId`, or returns null when there is none. */
export async function claimRun(prisma: PrismaClient, workerId: string, leaseMs: number): Promise<ClaimedRun | null> {
  const rows = await prisma.$queryRaw<ClaimedRun[]>`
    UPDATE "EvaluationRun" AS run
    SET "status" = 'RUNNING', "leaseOwner" = ${workerId}, "leaseExpiresAt" = now() + ${`${leaseMs} milliseconds`}::interval,
        "claimCount" = run."claimCount" + 1, "startedAt" = COALESCE(run."startedAt", now())
    WHERE run."id" = (
      SELECT "id" FROM "EvaluationRun"
      WHERE "status" = 'QUEUED' OR ("status" = 'RUNNING' AND "leaseExpiresAt" < now())
      ORDER BY "queuedAt", "id"
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING run."id", run."claimCount"`;
  return rows[0] ?? null;
}

/** Extends the lease; false when the worker no longer owns the run (it must stop). */
export async function renewLease(
  prisma: PrismaClient,
  runId: string,
  workerId: string,
  leaseMs: number,
): Promise<boolean> {
  const count = await prisma.$executeRaw`
    UPDATE "EvaluationRun" SET "leaseExpiresAt" = now() + ${`${leaseMs} milliseconds`}::interval
    WHERE "id" = ${runId}::uuid AND "leaseOwner" = ${workerId} AND "status" = 'RUNNING'`;
  return count === 1;
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
