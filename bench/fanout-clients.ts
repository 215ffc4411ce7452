/**
 * The fan-out benchmark's subscribers, in a process of their own (forked by fanout.ts) so that
 * their parsing does not share the server's event loop. Told over IPC to subscribe `count`
 * times (over up to 100 sockets) to one coach turn; reports when every subscription is live,
 * then, for each delta, when every subscriber has it, with the receipt times (epoch ms).
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** Messages from the benchmark. */
export type ToClients =
  | { type: 'start'; port: number; token: string; turnId: string; count: number; events: number }
  | { type: 'collect'; offset: number }
  | { type: 'stop' };

/** Messages to the benchmark. */
export type FromClients =
  { type: 'ready' } | { type: 'delivered'; offset: number; times: number[] } | { type: 'stopped'; complete: number };

const SOCKETS = 100;
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

const now = () => performance.timeOrigin + performance.now();
const send = (message: FromClients) => process.send?.(message);

let clients: Client[] = [];
let unsubscribes: (() => void)[] = [];
let count = 0;
let events = 0;
/** Receipt times per delta offset. */
const times = new Map<number, number[]>();
let perSubscriber: number[] = [];

process.on('message', (message: ToClients) => {
  if (message.type === 'start') {
    count = message.count;
    events = message.events;
    times.clear();
    perSubscriber = Array.from({ length: count }, () => 0);
    const live = new Set<number>();
    clients = Array.from({ length: Math.min(SOCKETS, count) }, () =>
      createClient({
        url: `ws://127.0.0.1:${message.port}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${message.token}` },
      }),
    );
    unsubscribes = Array.from({ length: count }, (_, i) =>
      (clients[i % clients.length] as Client).subscribe<{ coachTurnEvents: { offset?: number } }>(
        { query: SUBSCRIPTION, variables: { turnId: message.turnId } },
        {
          next: ({ data }) => {
            const offset = data?.coachTurnEvents.offset;
            if (offset === undefined) return;
            // Offset 0 is the probe that tells a subscription is live.
            if (offset === 0) {
              live.add(i);
              if (live.size === count) send({ type: 'ready' });
              return;
            }
            perSubscriber[i] = (perSubscriber[i] ?? 0) + 1;
            const list = times.get(offset) ?? [];
            list.push(now());
            times.set(offset, list);
            if (list.length === count) send({ type: 'delivered', offset, times: list });
          },
          error: () => {},
          complete: () => {},
        },
      ),
    );
  } else if (message.type === 'collect') {
    send({ type: 'delivered', offset: message.offset, times: times.get(message.offset) ?? [] });
  } else {
    for (const unsubscribe of unsubscribes) unsubscribe();
    void Promise.all(clients.map((client) => client.dispose())).then(() => {
      send({ type: 'stopped', complete: perSubscriber.filter((n) => n === events).length });
    });
  }
});
