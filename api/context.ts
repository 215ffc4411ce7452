/**
 * The per-operation context, built by one factory for HTTP and graphql-ws alike.
 */
import type { TokenService } from './auth/tokens.js';
import type { Viewer } from './auth/viewer.js';
import type { Coach } from './coach/turns.js';
import type { JobQueue } from './evaluation/jobs.js';
import type { PrismaClient } from './db.js';
import type { AccessRecorder } from './services/audit.js';

/** What every resolver receives. */
export interface Context {
  prisma: PrismaClient;
  viewer: Viewer | null;
  /** Signs access tokens (sign-up, log-in). */
  tokens: TokenService;
  /** Logs reads of other people's learning history (AccessLog). */
  access: AccessRecorder;
  /** Writes coach turns in the background. */
  coach: Coach;
  /** Queues evaluation jobs. */
  jobs: JobQueue;
  /** The client's network address (per-IP rate limits). */
  clientAddress: string | null;
  /** Depth, breadth and complexity a query may reach. */
  queryLimits: { depth: number; breadth: number; complexity: number };
}
