/**
 * The pubsub: in-process by default, or through Redis (@graphql-yoga/redis-event-target)
 * with REDIS_URL, so events published by any API or worker process reach subscribers on
 * every API process. The runtime opens one per process. Events are stored before they are published: a
 * publish is only a wake-up, and a subscriber that misses one catches up from the store.
 */
import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/** What a coach turn's subscribers are told: `text` was stored at `offset`, or the turn ended. */
export type CoachTurnSignal = { type: 'delta'; offset: number; text: string } | { type: 'done' };

type Topics = {
  /** Something was appended to this run's event stream. */
  'evaluation:event': [runId: string, sequence: number];
  /** A code run (runCode) changed: a call finished, or the run ended (stored first). */
  'code-run:changed': [codeRunId: string, change: 'call' | 'status'];
  /** Points were awarded: leaderboards may have changed. */
  'leaderboard:changed': [];
  /** A coach turn's visible text grew (stored first), or the turn ended (`done`). */
  'coach:turn': [turnId: string, signal: CoachTurnSignal];
};

/** In-process delivery; any number of subscribers may follow one topic (no listener warning). */
const inProcess = () => {
  const eventTarget = new EventTarget();
  setMaxListeners(0, eventTarget);
  return createPubSub<Topics>({ eventTarget });
};
/** Typed publish and subscribe, by topic. */
export type PubSub = ReturnType<typeof inProcess>;

/**
 * A Redis client that waits out an outage: ioredis reconnects (and re-subscribes) by itself,
 * commands wait meanwhile; the outage is logged once when it starts and once when it ends.
 */
export function createRedisClient(redisUrl: string, logger: Logger, role: string): Redis {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn(`redis (${role}): ${error.message}; reconnecting`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info(`redis (${role}): reconnected`);
    down = false;
  });
  return client;
}

/**
 * The process's pubsub: through Redis when `redisUrl` is set (every process hears every
 * event), else in-process. `close()` disconnects from Redis.
 */
export async function openPubSub(
  redisUrl: string | undefined,
  logger: Logger,
): Promise<{ pubsub: PubSub; close(): Promise<void> }> {
  if (!redisUrl) return { pubsub: inProcess(), close: async () => {} };
  const publishClient = createRedisClient(redisUrl, logger, 'publish');
  const subscribeClient = createRedisClient(redisUrl, logger, 'subscribe');
  await Promise.all([publishClient.ping(), subscribeClient.ping()]);
  return {
    pubsub: createPubSub<Topics>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) }),
    close: async () => {
      await Promise.all([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
