/** Who is signed in: below every layer, so services, engines and the context all name it without a cycle. */
import type { Role } from '../generated/prisma/enums.js';

/** The signed-in user and their roles per organization. */
export interface Viewer {
  userId: string;
  /** Role per organization id. */
  roles: ReadonlyMap<string, Role>;
}
