/** Rules for users: who can see whom. */
import { z } from 'zod';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { parseInput } from '../errors.js';
import type { Prisma, User } from '../generated/prisma/client.js';

/** Users a viewer may look up: themselves and members of their organizations. */
export function visibleUsersWhere(viewer: Viewer | null): Prisma.UserWhereInput {
  if (!viewer) return { id: { in: [] } };
  return {
    OR: [{ id: viewer.userId }, { memberships: { some: { organizationId: { in: [...viewer.roles.keys()] } } } }],
  };
}

const profileSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
  timeZone: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone, e.g. Europe/Paris')
    .nullish(),
  leaderboardOptOut: z.boolean().nullish(),
});

/** Changes the viewer's own profile; fields left out stay as they are. Setting the same values again changes nothing. */
export async function updateProfile(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: { name?: string | null; timeZone?: string | null; leaderboardOptOut?: boolean | null },
): Promise<User> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to change your profile.');
  const data = parseInput(profileSchema, input);
  return prisma.user.update({
    where: { id: viewer.userId },
    data: {
      ...(data.name ? { name: data.name } : {}),
      ...(data.timeZone ? { timeZone: data.timeZone } : {}),
      ...(typeof data.leaderboardOptOut === 'boolean' ? { leaderboardOptOut: data.leaderboardOptOut } : {}),
    },
  });
}
