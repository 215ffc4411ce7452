/**
 * Lost races between transactions (optimistic locks, unique keys, serialization failures):
 * recognised, and run again.
 */
import type { PrismaClient } from '../db.js';
import { Prisma } from '../generated/prisma/client.js';

/** A concurrent transaction changed a row this one read: run it again. */
export class OptimisticLockError extends Error {
  override name = 'OptimisticLockError';
}

/** Whether a failed transaction should simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof OptimisticLockError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    // A unique key taken by a concurrent insert; a serialization failure or deadlock (also from raw SQL).
    const raw = (error.meta as { code?: string } | undefined)?.code;
    return error.code === 'P2002' || error.code === 'P2034' || raw === '40001' || raw === '40P01';
  }
  const code = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return code === '40001' || code === '40P01';
}

/** Runs `work` in a transaction, again (up to `attempts` times) when it lost a race. */
export async function withConflictRetry<T>(
  prisma: PrismaClient,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  attempts = 8,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
