/** Who is signed in: below every layer, so services, engines and the context all name it without a cycle. */
import { ForbiddenError } from '../errors.js';
import type { Role } from '../generated/prisma/enums.js';

/** The signed-in user and their roles per organization. */
export interface Viewer {
  userId: string;
  /** Role per organization id. */
  roles: ReadonlyMap<string, Role>;
}

/**
 * The signed-in viewer, or a ForbiddenError saying `why` sign-in is needed (e.g. "Sign in to
 * create a class."), which mutations return as their `Forbidden` result.
 */
export function requireViewer(viewer: Viewer | null, why: string): Viewer {
  if (!viewer) throw new ForbiddenError(why);
  return viewer;
}
