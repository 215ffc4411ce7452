/**
 * Subscription fan-out benchmark: N graphql-ws subscribers (over 100 sockets) follow one
 * coach turn on one server process; coach deltas are published as the coach publishes them,
 * and the time from publish to receipt is taken at every subscriber. The baseline is the
 * same delivery to a single subscriber, in the same run. Memory per subscriber is the heap
 * growth of the process (server and clients together) over the subscribers.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Database } from '../api/db.js';
import { pubsub } from '../api/pubsub.js';
import { startBenchServer } from './server.js';

export interface FanoutResult {
  subscribers: number;
  /** Milliseconds from publish to receipt, over every subscriber and event. */
  p50: number;
  p99: number;
  /** Heap growth per subscriber, in KiB (server and client sides together). */
  kibPerSubscriber: number;
  /** Subscribers that received every event. */
  complete: number;
}

const SOCKETS = 100;
const EVENTS = 20;
const SUBSCRIPTION = /* GraphQL */ `
  subscription ($turnId: ID!) {
    coachTurnEvents(turnId: $turnId) {
      __typename
      ... on CoachTokenDelta {
        offset
      }
    }
  }
`;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Measures delivery to each count of subscribers in turn. */
export async function benchFanout(
  db: Database,
  options: { counts: number[]; log: (line: string) => void },
): Promise<FanoutResult[]> {
  const server = await startBenchServer(db);
  const { app, port } = server;
  const results: FanoutResult[] = [];
  try {
    const token = await server.logIn('student1@demo.test');
    const student = await db.prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
    const item = await db.prisma.contentItem.findFirstOrThrow({ where: { slug: 'two-sum' } });
    const attempt = await db.prisma.attempt.create({
      data: { userId: student.id, contentItemId: item.id, contentVersionId: item.currentVersionId ?? '' },
    });

    for (const [round, count] of options.counts.entries()) {
      // A turn that stays STREAMING: this benchmark publishes its deltas itself.
      const turn = await db.prisma.socraticTurn.create({
        data: {
          attemptId: attempt.id,
          userId: student.id,
          index: round,
          role: 'COACH',
          status: 'STREAMING',
          message: '',
        },
      });
      const turnId = Buffer.from(`SocraticTurn:${turn.id}`).toString('base64');
      const sockets = Math.min(SOCKETS, count);
      const clients: Client[] = Array.from({ length: sockets }, () =>
        createClient({
          url: `ws://127.0.0.1:${port}/graphql`,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: { authorization: `Bearer ${token}` },
        }),
      );
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const received: number[][] = Array.from({ length: count }, () => []);
      const unsubscribes: (() => void)[] = [];
      options.log(`fan-out: ${count} subscribers…`);
      let ready = 0;
      for (let i = 0; i < count; i++) {
        const client = clients[i % sockets] as Client;
        unsubscribes.push(
          client.subscribe<{ coachTurnEvents: { __typename: string; offset?: number } }>(
            { query: SUBSCRIPTION, variables: { turnId } },
            {
              next: ({ data }) => {
                const offset = data?.coachTurnEvents.offset;
                if (offset === undefined) return;
                // The delta at offset 0 is the probe that tells us the subscription is live.
                if (offset === 0) ready += 1;
                else received[i]?.push(performance.now());
              },
              error: () => {},
              complete: () => {},
            },
          ),
        );
      }
      // Every subscriber is live once it has seen a probe delta: publish probes until all have.
      let probe = 0;
      for (let waited = 0; ready < count && waited < 120_000; waited += 200) {
        if (probe === 0 || waited % 2000 === 0) {
          // Live subscribers got it already and skip it; new ones take it.
          pubsub.publish('coach:turn', turn.id, { type: 'delta', offset: 0, text: 'p' });
          probe += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      global.gc?.();
      const kibPerSubscriber = (process.memoryUsage().heapUsed - heapBefore) / 1024 / count;

      const latencies: number[] = [];
      let offset = 1;
      for (let event = 0; event < EVENTS; event++) {
        const before = received.map((list) => list.length);
        const sent = performance.now();
        pubsub.publish('coach:turn', turn.id, { type: 'delta', offset, text: 'x' });
        offset += 1;
        for (let waited = 0; waited < 10_000; waited += 5) {
          if (received.every((list, i) => list.length > (before[i] ?? 0))) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        for (const [i, list] of received.entries()) {
          const at = list[before[i] ?? 0];
          if (at !== undefined) latencies.push(at - sent);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      latencies.sort((a, b) => a - b);
      results.push({
        subscribers: count,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        kibPerSubscriber,
        complete: received.filter((list) => list.length === EVENTS).length,
      });
      for (const unsubscribe of unsubscribes) unsubscribe();
      await Promise.all(clients.map((client) => client.dispose()));
    }
  } finally {
    await app.stop();
  }
  return results;
}
