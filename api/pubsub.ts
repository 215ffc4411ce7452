/**
 * The one pubsub: in-process by default (Redis fan-out arrives with the scale-out issue).
 * Events are stored before they are published; a publish is only a wake-up signal, so a
 * subscriber that misses one still catches up from the store.
 */
import { createPubSub } from 'graphql-yoga';

export const pubsub = createPubSub<{
  /** Something was appended to this run's event stream. */
  'evaluation:event': [runId: string, sequence: number];
  /** A run was queued: idle workers look for work. */
  'evaluation:queued': [];
}>();

export type PubSub = typeof pubsub;
