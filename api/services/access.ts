/**
 * Who may read whose learning history: everyone their own; instructors the students of the
 * classes they teach; admins every member of their organizations.
 */
import type { Viewer } from '../context.js';
import type { PrismaClient } from '../db.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Checks that the viewer administers the organization; `what` names the change refused. Outsiders
 * learn nothing about the organization, not even that it exists.
 */
export function requireOrganizationAdmin(viewer: Viewer, organizationId: string, what: string): void {
  const role = viewer.roles.get(organizationId);
  if (role === undefined) throw new NotFoundError('Organization');
  if (role !== 'ADMIN') throw new ForbiddenError(`Only the organization’s admins ${what}.`);
}

/** Organizations where the viewer is an admin. */
export function adminOrganizationIds(viewer: Viewer): string[] {
  return [...viewer.roles].filter(([, role]) => role === 'ADMIN').map(([organizationId]) => organizationId);
}

/** Users whose learning history the viewer may read (themselves included). */
export function historyOwnersWhere(viewer: Viewer | null): Prisma.UserWhereInput {
  if (!viewer) return { id: { in: [] } };
  const adminOf = adminOrganizationIds(viewer);
  return {
    OR: [
      { id: viewer.userId },
      {
        enrollments: {
          some: { role: 'STUDENT', class: { enrollments: { some: { userId: viewer.userId, role: 'INSTRUCTOR' } } } },
        },
      },
      ...(adminOf.length > 0 ? [{ memberships: { some: { organizationId: { in: adminOf } } } }] : []),
    ],
  };
}

/** Attempts the viewer may read. */
export function visibleAttemptsWhere(viewer: Viewer | null): Prisma.AttemptWhereInput {
  return { user: historyOwnersWhere(viewer) };
}

/** Classes the viewer teaches (enrolled as INSTRUCTOR). */
export function teachesClassWhere(viewer: Viewer | null): Prisma.ClassWhereInput {
  if (!viewer) return { id: { in: [] } };
  return { enrollments: { some: { userId: viewer.userId, role: 'INSTRUCTOR' } } };
}

/**
 * Classes the viewer manages (enrolls students, assigns work, reads reference solutions):
 * those they teach, and every class of the organizations they administer.
 */
export function managedClassesWhere(viewer: Viewer | null): Prisma.ClassWhereInput {
  if (!viewer) return { id: { in: [] } };
  const adminOf = adminOrganizationIds(viewer);
  return {
    OR: [teachesClassWhere(viewer), ...(adminOf.length > 0 ? [{ organizationId: { in: adminOf } }] : [])],
  };
}

/**
 * Classes the viewer sees: those they teach or take, and every class of the organizations
 * they administer. An instructor does not see the other classes of their organization.
 */
export function visibleClassesWhere(viewer: Viewer | null): Prisma.ClassWhereInput {
  if (!viewer) return { id: { in: [] } };
  const adminOf = adminOrganizationIds(viewer);
  return {
    OR: [
      { enrollments: { some: { userId: viewer.userId } } },
      ...(adminOf.length > 0 ? [{ organizationId: { in: adminOf } }] : []),
    ],
  };
}

/**
 * The organization an attempt's LLM calls are recorded under (whose instructors review them,
 * and whose coach policy applies): the item's owner; else the organization of a class the
 * student takes that was assigned the item (`assignmentOrganizationId` when already looked
 * up, null when there is none); else the student's first organization; else none.
 */
export async function attemptOrganizationId(
  prisma: Pick<PrismaClient, 'assignment' | 'membership'>,
  attempt: { userId: string; contentItemId: string; itemOrganizationId: string | null },
  assignmentOrganizationId?: string | null,
): Promise<string | null> {
  if (attempt.itemOrganizationId) return attempt.itemOrganizationId;
  const assigned =
    assignmentOrganizationId !== undefined
      ? assignmentOrganizationId
      : ((
          await prisma.assignment.findFirst({
            where: {
              contentItemId: attempt.contentItemId,
              class: { enrollments: { some: { userId: attempt.userId, role: 'STUDENT' } } },
            },
            orderBy: { createdAt: 'desc' },
            select: { class: { select: { organizationId: true } } },
          })
        )?.class.organizationId ?? null);
  if (assigned) return assigned;
  const membership = await prisma.membership.findFirst({
    where: { userId: attempt.userId },
    orderBy: { createdAt: 'asc' },
    select: { organizationId: true },
  });
  return membership?.organizationId ?? null;
}
