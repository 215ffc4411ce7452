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
  /** Points were awarded: leaderboards may have changed. */
  'leaderboard:changed': [];
  /** A coach turn's visible text grew (stored first), or the turn ended (`done`). */
  'coach:turn': [turnId: string, signal: CoachTurnSignal];
}>();

/** What a coach turn's subscribers are told: `text` was stored at `offset`, or the turn ended. */
export type CoachTurnSignal = { type: 'delta'; offset: number; text: string } | { type: 'done' };

export type PubSub = typeof pubsub;
