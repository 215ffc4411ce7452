/**
 * Subscription fan-out benchmark: N graphql-ws subscribers (over up to 100 sockets, in a
 * process of their own: fanout-clients.ts) follow one coach turn on one server process; coach
 * deltas are published as the coach publishes them, and the time from publish to receipt is
 * taken at every subscriber. The baseline is the same delivery to a single subscriber, in the
 * same run. Memory per subscriber is the server process's heap growth over the subscribers.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Database } from '../api/db.js';
import type { FromClients, ToClients } from './fanout-clients.js';
import { startBenchServer } from './server.js';

export interface FanoutResult {
  subscribers: number;
  /** Milliseconds from publish to receipt, over every subscriber and event. */
  p50: number;
  p99: number;
  /** The server's heap growth per subscriber, in KiB. */
  kibPerSubscriber: number;
  /** Subscribers that received every event. */
  complete: number;
}

const EVENTS = 20;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const now = () => performance.timeOrigin + performance.now();

/** The subscribers' process, and a way to wait for its next message of a kind. */
function startClients() {
  const child: ChildProcess = fork(new URL('./fanout-clients.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: { accept: (message: FromClients) => boolean }[] = [];
  child.on('message', (message: FromClients) => {
    const index = waiting.findIndex((waiter) => waiter.accept(message));
    if (index >= 0) waiting.splice(index, 1);
  });
  return {
    send: (message: ToClients) => child.send(message),
    next<T extends FromClients['type']>(
      type: T,
      timeoutMs: number,
      where: (message: Extract<FromClients, { type: T }>) => boolean = () => true,
    ): Promise<Extract<FromClients, { type: T }> | null> {
      return new Promise((resolve) => {
        const waiter = {
          accept: (message: FromClients) => {
            if (message.type !== type || !where(message as Extract<FromClients, { type: T }>)) return false;
            clearTimeout(timer);
            resolve(message as Extract<FromClients, { type: T }>);
            return true;
          },
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          resolve(null);
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
    stop: () => {
      child.kill();
    },
  };
}

/** Measures delivery to each count of subscribers in turn. */
export async function benchFanout(
  db: Database,
  options: { counts: number[]; log: (line: string) => void },
): Promise<FanoutResult[]> {
  const server = await startBenchServer(db);
  const { app, port } = server;
  const results: FanoutResult[] = [];
  const clients = startClients();
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
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      options.log(`fan-out: ${count} subscribers…`);
      const ready = clients.next('ready', 180_000);
      clients.send({ type: 'start', port, token, turnId, count, events: EVENTS });
      // Every subscriber is live once it has seen a probe delta: publish probes until all have.
      let live = false;
      void ready.then(() => (live = true));
      for (let waited = 0; !live && waited < 180_000; waited += 200) {
        // Live subscribers got it already and skip it; new ones take it.
        if (waited % 2000 === 0)
          server.app.runtime.pubsub.publish('coach:turn', turn.id, { type: 'delta', offset: 0, text: 'p' });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      global.gc?.();
      const kibPerSubscriber = (process.memoryUsage().heapUsed - heapBefore) / 1024 / count;

      const latencies: number[] = [];
      for (let offset = 1; offset <= EVENTS; offset++) {
        const delivered = clients.next('delivered', 10_000, (message) => message.offset === offset);
        const sent = now();
        server.app.runtime.pubsub.publish('coach:turn', turn.id, { type: 'delta', offset, text: 'x' });
        let times = (await delivered)?.times;
        if (!times) {
          const collected = clients.next('delivered', 5_000, (message) => message.offset === offset);
          clients.send({ type: 'collect', offset });
          times = (await collected)?.times ?? [];
        }
        for (const at of times) latencies.push(at - sent);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      latencies.sort((a, b) => a - b);
      const stopped = clients.next('stopped', 60_000);
      clients.send({ type: 'stop' });
      results.push({
        subscribers: count,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        kibPerSubscriber,
        complete: (await stopped)?.complete ?? 0,
      });
    }
  } finally {
    clients.stop();
    await app.stop();
  }
  return results;
}
