/**
 * Fixtures for rewards and leaderboards: an evaluated submission made at a chosen time, and
 * its outcome recorded the way the worker records it.
 */
import { hashPassword } from '../../api/auth/passwords.js';
import type { PrismaClient } from '../../api/db.js';
import { claimRun } from '../../api/evaluation/queue.js';
import type { WorkerDeps } from '../../api/evaluation/deps.js';
import { processRun } from '../../api/evaluation/worker.js';
import type { EvaluationKind } from '../../api/generated/prisma/enums.js';
import { withConflictRetry } from '../../api/db/conflicts.js';
import { type OutcomeRewards, recordOutcome } from '../../api/rewards/outcome.js';

const KIND = { CODING_INTERVIEW: 'CODING_TESTS', DEBUG_LAB: 'DEBUG_DIAGNOSTICS', SYSTEM_DESIGN: 'RUBRIC' } as const;

let sequence = 0;

/** Password of the users `createUser` makes. */
export const FIXTURE_PASSWORD = 'fixture-password';

/** A user (a student of `organizationId` when given), who can log in with FIXTURE_PASSWORD. */
export async function createUser(
  prisma: PrismaClient,
  options: { name?: string; organizationId?: string; timeZone?: string; optOut?: boolean } = {},
) {
  sequence += 1;
  const user = await prisma.user.create({
    data: {
      email: `rewards-${sequence}-${Date.now()}@example.test`,
      name: options.name ?? `Learner ${sequence}`,
      passwordHash: await hashPassword(FIXTURE_PASSWORD),
      timeZone: options.timeZone ?? 'UTC',
      leaderboardOptOut: options.optOut ?? false,
    },
  });
  if (options.organizationId) {
    await prisma.membership.create({
      data: { userId: user.id, organizationId: options.organizationId, role: 'STUDENT' },
    });
  }
  return user;
}

/**
 * A submission on `slug` by `userId` made at `at` (its attempt started `startedMinutesBefore`
 * earlier, in a new attempt unless `attemptId` is given), evaluated with `score`.
 */
export async function evaluated(
  prisma: PrismaClient,
  options: { userId: string; slug: string; at: Date; score: number; startedMinutesBefore?: number; attemptId?: string },
) {
  const item = await prisma.contentItem.findFirstOrThrow({ where: { slug: options.slug, scope: 'global' } });
  const attempt = options.attemptId
    ? await prisma.attempt.findUniqueOrThrow({ where: { id: options.attemptId } })
    : await prisma.attempt.create({
        data: {
          userId: options.userId,
          contentItemId: item.id,
          contentVersionId: item.currentVersionId ?? '',
          startedAt: new Date(options.at.getTime() - (options.startedMinutesBefore ?? 5) * 60_000),
        },
      });
  sequence += 1;
  const submission = await prisma.submission.create({
    data: {
      attemptId: attempt.id,
      userId: options.userId,
      language: 'JAVASCRIPT',
      code: `// fixture ${sequence}`,
      idempotencyKey: `fixture-${sequence}`,
      payloadHash: `hash-${sequence}`,
      createdAt: options.at,
    },
  });
  const kind: EvaluationKind = KIND[item.track];
  const run = await prisma.evaluationRun.create({
    data: { submissionId: submission.id, attemptId: attempt.id, kind, status: 'SUCCEEDED', score: options.score },
  });
  return { item, attempt, submission, run, kind };
}

/** Records an evaluated submission's outcome as the worker does (awarded at `at`). */
export function record(
  prisma: PrismaClient,
  fixture: Awaited<ReturnType<typeof evaluated>>,
  options: { at?: Date; evidence?: [number, number] } = {},
): Promise<OutcomeRewards> {
  const [evidencePassed, evidenceTotal] = options.evidence ?? [Math.round(fixture.run.score ?? 0), 1];
  return withConflictRetry(prisma, (tx) =>
    recordOutcome(tx, {
      runId: fixture.run.id,
      kind: fixture.kind,
      submissionId: fixture.submission.id,
      score: fixture.run.score ?? 0,
      evidencePassed,
      evidenceTotal,
      at: options.at ?? fixture.submission.createdAt,
    }),
  );
}

/** Makes an evaluated submission and records it. */
export async function earn(
  prisma: PrismaClient,
  options: Parameters<typeof evaluated>[1],
): Promise<OutcomeRewards & { fixture: Awaited<ReturnType<typeof evaluated>> }> {
  const fixture = await evaluated(prisma, options);
  return { ...(await record(prisma, fixture)), fixture };
}

/** A fresh organization with one class; returns both. */
export async function createOrganization(prisma: PrismaClient, name: string) {
  sequence += 1;
  const organization = await prisma.organization.create({
    data: { slug: `org-${sequence}-${Date.now()}`, name },
  });
  const cls = await prisma.class.create({ data: { organizationId: organization.id, name: `${name} class` } });
  return { organization, cls };
}

/**
 * Evaluates every queued run, oldest first, as one worker would when pg-boss delivers their
 * jobs (tests with `EVAL_CONCURRENCY=0` decide who claims what and when).
 */
export async function drainQueue(prisma: PrismaClient, deps: WorkerDeps, workerId = 'test-worker'): Promise<void> {
  const queued = await prisma.evaluationRun.findMany({ where: { status: 'QUEUED' }, orderBy: { queuedAt: 'asc' } });
  for (const { id } of queued) {
    if (await claimRun(prisma, id, workerId)) await processRun(deps, id, workerId);
  }
}
