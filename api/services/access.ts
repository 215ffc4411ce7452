/**
 * Who may read whose learning history: everyone their own; instructors the students of the
 * classes they teach; admins every member of their organizations.
 */
import type { Viewer } from '../auth/viewer.js';
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
