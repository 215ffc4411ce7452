/**
 * Scale-out: two API processes and a worker process over one PostgreSQL and one Redis. A
 * client subscribed on API A sees what a submission made on API B, evaluated by the worker,
 * changes: the run's events, and the leaderboard's push (which has no store to poll, so it
 * can only have come through Redis). Runs in CI's PostgreSQL pass (TEST_DATABASE_URL).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPostgresDatabase } from './support/database.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = new URL('..', import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

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

describe.runIf(Boolean(serverUrl))('two API processes and a worker, over PostgreSQL and Redis', () => {
  const children: ChildProcess[] = [];
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
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

  async function healthy(url: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} did not become healthy`);
  }

  beforeAll(async () => {
    database = await createPostgresDatabase(serverUrl ?? '');
    const dataDir = await mkdtemp(join(tmpdir(), 'scale-out-'));
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL,
      JWT_SECRET: randomBytes(24).toString('hex'),
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      EVAL_CONCURRENCY: '0',
      RATE_LIMIT_MUTATIONS_PER_MINUTE: '4',
    };
    const [portA, portB] = [await freePort(), await freePort()];
    a = `http://127.0.0.1:${portA}`;
    b = `http://127.0.0.1:${portB}`;
    start('api/main.ts', { ...shared, PORT: String(portA), SEED_ON_START: 'true' });
    await healthy(a);
    start('api/main.ts', { ...shared, PORT: String(portB), SEED_ON_START: 'false' });
    await healthy(b);
    start('api/worker.ts', { ...shared, EVAL_CONCURRENCY: '1' });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
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

  it('delivers to a subscriber on A what a submission on B, evaluated by the worker, produced', async () => {
    const { logIn } = await graphql<{ logIn: { token: string } }>(
      b,
      'mutation { logIn(input: { email: "student1@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
      {},
    );
    const token = logIn.token;
    const client = createClient({
      url: a.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      // The live top on A: empty now, then the student once the worker has awarded points.
      const top = new Promise<string[][]>((resolve, reject) => {
        const pushes: string[][] = [];
        client.subscribe<{ leaderboardChanged: { displayName: string }[] }>(
          { query: 'subscription { leaderboardChanged(scope: GLOBAL, window: ALL_TIME) { displayName } }' },
          {
            next: ({ data }) => {
              pushes.push(data?.leaderboardChanged.map((entry) => entry.displayName) ?? []);
              if (pushes.at(-1)?.length) resolve(pushes);
            },
            error: reject,
            complete: () => resolve(pushes),
          },
        );
      });
      // Submitted on B.
      const item = await graphql<{ contentItem: { id: string } }>(
        b,
        '{ contentItem(slug: "two-sum") { id } }',
        {},
        token,
      );
      const { startAttempt } = await graphql<{ startAttempt: { id: string } }>(
        b,
        'mutation ($id: ID!) { startAttempt(input: { contentItemId: $id }) { ... on Attempt { id } } }',
        { id: item.contentItem.id },
        token,
      );
      const { submitSolution } = await graphql<{ submitSolution: { evaluationRuns: { id: string }[] } }>(
        b,
        `
          mutation ($attemptId: ID!, $code: String!) {
            submitSolution(
              input: { attemptId: $attemptId, language: JAVASCRIPT, code: $code, idempotencyKey: "scale-out" }
            ) {
              ... on Submission {
                evaluationRuns {
                  id
                }
              }
            }
          }
        `,
        {
          attemptId: startAttempt.id,
          code: 'function twoSum(nums, target) { const seen = new Map(); for (let j = 0; j < nums.length; j++) { const i = seen.get(target - nums[j]); if (i !== undefined) return [i, j]; seen.set(nums[j], j); } return []; }',
        },
        token,
      );
      const runId = submitSolution.evaluationRuns[0]?.id ?? '';

      // The run's events on A, in order, to the end.
      const events = await new Promise<string[]>((resolve, reject) => {
        const seen: string[] = [];
        client.subscribe<{ evaluationEvents: { __typename: string } }>(
          {
            query: 'subscription ($runId: ID!) { evaluationEvents(runId: $runId) { __typename } }',
            variables: { runId },
          },
          {
            next: ({ data }) => void seen.push(data?.evaluationEvents.__typename ?? ''),
            error: reject,
            complete: () => resolve(seen),
          },
        );
      });
      expect(events[0]).toBe('EvaluationQueued');
      expect(events.filter((type) => type === 'TestCaseFinished')).toHaveLength(5);
      expect(events.at(-1)).toBe('EvaluationCompleted');

      // Nothing polls for leaderboard changes: without Redis this push never reaches A.
      const pushes = await Promise.race([
        top,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no leaderboard push reached API A within 20 s')), 20_000),
        ),
      ]);
      expect(pushes[0]).toEqual([]);
      expect(pushes.at(-1)).toEqual(['Sam Student']);
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
