/**
 * The per-operation context, built by one factory for HTTP and graphql-ws alike: who asks,
 * the recorder of what they read, and the process's runtime.
 */
import type { Viewer } from './auth/viewer.js';
import type { Runtime } from './runtime.js';
import type { AccessRecorder } from './services/audit.js';

/** What every resolver receives. */
export interface Context {
  /** Who is asking; null when signed out. */
  viewer: Viewer | null;
  /** Logs reads of other people's learning history (AccessLog). */
  access: AccessRecorder;
  /** The process's parts: database, pubsub, job queue, coach, tokens, limits. */
  runtime: Runtime;
}
