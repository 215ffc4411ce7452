/**
 * Scale-out: two API processes and two worker processes over one PostgreSQL (pg-boss jobs) and
 * one Redis (events). A client subscribed on API A sees what a submission made on API B,
 * evaluated by a worker, changes: the run's events, and the leaderboard's push (which has no
 * store to poll, so it can only have come through Redis). A worker killed with SIGKILL mid-run
 * leaves its run to the other worker, which completes it once; Redis killed and restarted
 * mid-run: the run's events still arrive whole and in order (replayed from the store), and the
 * leaderboard push after it comes through Redis again. Runs in CI's PostgreSQL pass
 * (TEST_DATABASE_URL), with a Redis server of its own so restarting it disturbs no other test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Database, openDatabase } from '../api/db.js';
import { createPostgresDatabase } from './support/database.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const root = new URL('..', import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

const TWO_SUM =
  'function twoSum(nums, target) { const seen = new Map(); for (let j = 0; j < nums.length; j++) { const i = seen.get(target - nums[j]); if (i !== undefined) return [i, j]; seen.set(nums[j], j); } return []; }';
/** Correct, but each test takes 0.7 s: long enough to act mid-run. */
const SLOW_TWO_SUM = `function twoSum(nums, target) {
  const until = Date.now() + 700;
  while (Date.now() < until) {}
  for (let i = 0; i < nums.length; i++) for (let j = i + 1; j < nums.length; j++) if (nums[i] + nums[j] === target) return [i, j];
  return [];
}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`, or fails naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms)),
  ]);
}

describe.runIf(Boolean(serverUrl))('two API processes and two workers, over PostgreSQL and Redis', () => {
  const children: ChildProcess[] = [];
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let db: Database;
  let redis: ChildProcess | undefined;
  let redisPort = 0;
  let a = '';
  let b = '';

  function start(script: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [tsx, script], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }

  async function startRedis(): Promise<void> {
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i += 1) {
      const probe = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => {});
      const ready = await probe.connect().then(
        () => probe.ping().then(() => true),
        () => false,
      );
      probe.disconnect();
      if (ready) return;
      await sleep(100);
    }
    throw new Error('redis-server did not start');
  }

  async function stopRedis(): Promise<void> {
    const server = redis;
    redis = undefined;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  async function healthy(url: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`${url} did not become healthy`);
  }

  beforeAll(async () => {
    database = await createPostgresDatabase(serverUrl ?? '');
    redisPort = await freePort();
    await startRedis();
    const dataDir = await mkdtemp(join(tmpdir(), 'scale-out-'));
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      JWT_SECRET: randomBytes(24).toString('hex'),
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      EVAL_CONCURRENCY: '0',
      EVAL_HEARTBEAT_SECONDS: '10',
      RATE_LIMIT_MUTATIONS_PER_MINUTE: '4',
      // The demo students start without made-up activity: the leaderboard starts empty.
      SEED_DEMO_ACTIVITY: 'false',
    };
    const [portA, portB] = [await freePort(), await freePort()];
    a = `http://127.0.0.1:${portA}`;
    b = `http://127.0.0.1:${portB}`;
    start('api/main.ts', { ...shared, PORT: String(portA), SEED_ON_START: 'true' });
    await healthy(a);
    start('api/main.ts', { ...shared, PORT: String(portB), SEED_ON_START: 'false' });
    await healthy(b);
    start('api/worker.ts', { ...shared, EVAL_CONCURRENCY: '1' });
    start('api/worker.ts', { ...shared, EVAL_CONCURRENCY: '1' });
    db = await openDatabase({ databaseUrl: database.url, pgliteDir: '' });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await db?.close();
    await stopRedis();
    await database?.drop();
  });

  async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  /** A new student of the demo organization; returns their token. */
  async function signUp(url: string, name: string): Promise<string> {
    const { signUp } = await graphql<{ signUp: { token?: string; message?: string } }>(
      url,
      `
        mutation ($input: SignUpInput!) {
          signUp(input: $input) {
            ... on AuthPayload {
              token
            }
            ... on Error {
              message
            }
          }
        }
      `,
      {
        input: {
          name,
          email: `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(3).toString('hex')}@example.test`,
          password: 'a long enough password',
          organizationSlug: 'demo-university',
        },
      },
    );
    if (!signUp.token) throw new Error(`signUp: ${signUp.message}`);
    return signUp.token;
  }

  /** Starts two-sum and submits `code` on `url`; returns the run's database id. */
  async function submit(url: string, token: string, code: string, key: string): Promise<string> {
    const item = await graphql<{ contentItem: { id: string } }>(
      url,
      '{ contentItem(slug: "two-sum") { id } }',
      {},
      token,
    );
    const { startAttempt } = await graphql<{ startAttempt: { id: string } }>(
      url,
      'mutation ($id: ID!) { startAttempt(input: { contentItemId: $id }) { ... on Attempt { id } } }',
      { id: item.contentItem.id },
      token,
    );
    const { submitSolution } = await graphql<{ submitSolution: { evaluationRuns: { id: string }[] } }>(
      url,
      `
        mutation ($attemptId: ID!, $code: String!, $key: String!) {
          submitSolution(input: { attemptId: $attemptId, language: JAVASCRIPT, code: $code, idempotencyKey: $key }) {
            ... on Submission {
              evaluationRuns {
                id
              }
            }
          }
        }
      `,
      { attemptId: startAttempt.id, code, key },
      token,
    );
    // The run's database id, from its global id (`EvaluationRun:<uuid>`, base64).
    return Buffer.from(submitSolution.evaluationRuns[0]?.id ?? '', 'base64')
      .toString()
      .replace(/^EvaluationRun:/, '');
  }

  function connect(url: string, token: string): Client {
    return createClient({
      url: url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
  }

  /** Every event of the run, as `sequence:type`, until the stream ends; `onEvent` sees each. */
  function follow(client: Client, runId: string, onEvent: (type: string) => void = () => {}): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      client.subscribe<{ evaluationEvents: { __typename: string; sequence: number } }>(
        {
          query: 'subscription ($runId: ID!) { evaluationEvents(runId: $runId) { __typename sequence } }',
          variables: { runId: Buffer.from(`EvaluationRun:${runId}`).toString('base64') },
        },
        {
          next: ({ data }) => {
            const event = data?.evaluationEvents;
            seen.push(`${event?.sequence}:${event?.__typename}`);
            onEvent(event?.__typename ?? '');
          },
          error: reject,
          complete: () => resolve(seen),
        },
      );
    });
  }

  /** Resolves with the GLOBAL all-time top's names once `name` is in it. */
  function untilOnBoard(client: Client, name: string): { pushes: string[][]; reached: Promise<string[][]> } {
    const pushes: string[][] = [];
    const reached = new Promise<string[][]>((resolve, reject) => {
      client.subscribe<{ leaderboardChanged: { displayName: string }[] }>(
        { query: 'subscription { leaderboardChanged(scope: GLOBAL, window: ALL_TIME) { displayName } }' },
        {
          next: ({ data }) => {
            pushes.push(data?.leaderboardChanged.map((entry) => entry.displayName) ?? []);
            if (pushes.at(-1)?.includes(name)) resolve(pushes);
          },
          error: reject,
          complete: () => resolve(pushes),
        },
      );
    });
    return { pushes, reached };
  }

  /** The stored run: its status, owner, claims, test results and events. */
  const storedRun = (runId: string) =>
    db.prisma.evaluationRun.findUniqueOrThrow({
      where: { id: runId },
      include: { events: { orderBy: { sequence: 'asc' } }, testResults: true },
    });

  it('delivers to a subscriber on A what a submission on B, evaluated by a worker, produced', async () => {
    const { logIn } = await graphql<{ logIn: { token: string } }>(
      b,
      'mutation { logIn(input: { email: "student1@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
      {},
    );
    const client = connect(a, logIn.token);
    try {
      // The live top on A: empty now, then the student once a worker has awarded points.
      const board = untilOnBoard(client, 'Sam Student');
      const runId = await submit(b, logIn.token, TWO_SUM, 'scale-out');
      const events = await follow(client, runId);
      expect(events[0]).toBe('1:EvaluationQueued');
      expect(events.filter((event) => event.endsWith(':TestCaseFinished'))).toHaveLength(5);
      expect(events.at(-1)).toMatch(/:EvaluationCompleted$/);

      // Nothing polls for leaderboard changes: without Redis this push never reaches A.
      const pushes = await within(board.reached, 20_000, 'no leaderboard push reached API A');
      expect(pushes[0]).toEqual([]);
      expect(pushes.at(-1)).toEqual(['Sam Student']);
    } finally {
      await client.dispose();
    }
  }, 120_000);

  it('completes a run once when its worker is killed with SIGKILL mid-run: the other worker takes it over', async () => {
    const token = await signUp(b, 'Kim Killed');
    const client = connect(a, token);
    try {
      const runId = await submit(b, token, SLOW_TWO_SUM, 'killed-worker');
      const events = follow(client, runId);
      // Mid-run: a test recorded, not all. The owner's name carries its process id.
      let owner = '';
      for (let i = 0; i < 300 && !owner; i += 1) {
        const run = await storedRun(runId);
        if (run.testResults.length >= 1 && run.testResults.length < 5) owner = run.leaseOwner ?? '';
        else await sleep(50);
      }
      expect(owner).not.toBe('');
      const pid = Number(owner.split(':')[1]);
      process.kill(pid, 'SIGKILL');

      // pg-boss sees no heartbeat for 10 s and hands the job to the surviving worker.
      const seen = await within(events, 90_000, 'the run did not end');
      const run = await storedRun(runId);
      expect(run).toMatchObject({ status: 'SUCCEEDED', score: 1, claimCount: 2 });
      expect(run.leaseOwner).not.toBe(owner);
      expect(run.testResults.map((result) => result.testIndex).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(run.events.filter((event) => event.type === 'COMPLETED')).toHaveLength(1);
      expect(run.events.map((event) => event.sequence)).toEqual(run.events.map((_, i) => i + 1));
      // The subscriber on A saw every stored event once, in order, ending with the completion.
      const typename: Record<string, string> = {
        QUEUED: 'EvaluationQueued',
        STARTED: 'EvaluationStarted',
        TEST_CASE_FINISHED: 'TestCaseFinished',
        COMPLETED: 'EvaluationCompleted',
      };
      expect(seen).toEqual(run.events.map((event) => `${event.sequence}:${typename[event.type]}`));
      expect(seen.at(-1)).toMatch(/:EvaluationCompleted$/);
      const points = await db.prisma.pointsLedger.findMany({ where: { runId } });
      expect(points.filter((row) => row.reason === 'SOLVE')).toHaveLength(1);
    } finally {
      await client.dispose();
    }
  }, 120_000);

  it('keeps delivering through a Redis restart: the run’s events arrive whole, the next push comes through Redis', async () => {
    const token = await signUp(b, 'Robin Restart');
    const client = connect(a, token);
    try {
      const board = untilOnBoard(client, 'Robin Restart');
      const runId = await submit(b, token, SLOW_TWO_SUM, 'redis-restart');
      let firstTest: () => void = () => {};
      const midRun = new Promise<void>((resolve) => (firstTest = resolve));
      const events = follow(client, runId, (type) => type === 'TestCaseFinished' && firstTest());
      await within(midRun, 30_000, 'no test finished');
      await stopRedis();
      await sleep(1_000);
      await startRedis();

      const seen = await within(events, 60_000, 'the run did not end');
      expect(seen).toEqual([
        '1:EvaluationQueued',
        '2:EvaluationStarted',
        '3:TestCaseFinished',
        '4:TestCaseFinished',
        '5:TestCaseFinished',
        '6:TestCaseFinished',
        '7:TestCaseFinished',
        '8:EvaluationCompleted',
      ]);
      // The leaderboard push has no store behind it: it reaches A only through the restarted Redis.
      const pushes = await within(board.reached, 30_000, 'no leaderboard push after Redis restarted');
      expect(pushes.at(-1)).toContain('Robin Restart');
    } finally {
      await client.dispose();
    }
  }, 120_000);

  it('counts one user’s mutations across both API processes', async () => {
    const { logIn } = await graphql<{ logIn: { token: string } }>(
      a,
      'mutation { logIn(input: { email: "student2@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
      {},
    );
    const { contentItem } = await graphql<{ contentItem: { id: string } }>(
      a,
      '{ contentItem(slug: "two-sum") { id } }',
      {},
    );
    const start = async (url: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${logIn.token}` },
        body: JSON.stringify({
          query: 'mutation ($id: ID!) { startAttempt(input: { contentItemId: $id }) { __typename } }',
          variables: { id: contentItem.id },
        }),
      });
      return ((await response.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions
        ?.code;
    };
    // The limit is 4 a minute: two on each process, then the fifth is refused wherever it goes.
    expect([await start(a), await start(b), await start(a), await start(b)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(await start(a)).toBe('RATE_LIMITED');
  }, 60_000);
});
