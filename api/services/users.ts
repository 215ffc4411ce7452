/** Rules for users: who can see whom. */
import type { Viewer } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';

/** Users a viewer may look up: themselves and members of their organizations. */
export function visibleUsersWhere(viewer: Viewer | null): Prisma.UserWhereInput {
  if (!viewer) return { id: { in: [] } };
  return {
    OR: [{ id: viewer.userId }, { memberships: { some: { organizationId: { in: [...viewer.roles.keys()] } } } }],
  };
}
