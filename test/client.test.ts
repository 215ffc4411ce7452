/**
 * The urql client (client/client.ts): the token goes with every request and in graphql-ws
 * connectionParams, and a subscription survives a server restart: the client reconnects and
 * subscribes again by itself.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, buildApp } from '../api/app.js';
import { parseEnv } from '../api/env.js';
import { createApiClient } from '../client/client.js';
import { MeQuery, LeaderboardChangedSubscription } from '../client/operations.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let database: TestDatabase | undefined;
let app: App | undefined;
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const started = Date.now(); !check();) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the urql client', () => {
  it('sends the token, and resubscribes after the server restarts', async () => {
    database = await createTestDatabase();
    const env = parseEnv({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATA_DIR: await mkdtemp(join(tmpdir(), 'client-test-')),
      LOG_LEVEL: 'warn',
      EVAL_CONCURRENCY: '0',
    });
    app = buildApp({ env, database });
    const { port, url } = await app.start(0);

    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation { logIn(input: { email: "student1@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
      }),
    });
    const token = ((await response.json()) as { data: { logIn: { token: string } } }).data.logIn.token;
    const { client, dispose } = createApiClient({
      url: `${url}/graphql`,
      getToken: () => token,
      webSocketImpl: WebSocket,
    });
    try {
      // Over HTTP (a GET, with the CSRF header the client adds) the token makes the viewer.
      const me = await client.query(MeQuery, {}).toPromise();
      expect(me.error).toBeUndefined();
      expect(me.data?.viewer?.name).toBe('Sam Student');

      const pushes: number[] = [];
      const errors: unknown[] = [];
      const subscription = client
        .subscription(LeaderboardChangedSubscription, { scope: 'ORGANIZATION', window: 'ALL_TIME' })
        .subscribe((result) => {
          if (result.error) errors.push(result.error);
          else if (result.data) pushes.push(result.data.leaderboardChanged.length);
        });
      // ORGANIZATION needs a signed-in viewer over graphql-ws: the token went in connectionParams.
      await until(() => pushes.length === 1 || errors.length > 0, 'the first push');
      expect(errors).toEqual([]);

      // The server goes away and comes back on the same port.
      await app.stop();
      app = buildApp({ env, database });
      await app.start(port);
      await until(() => pushes.length === 2 || errors.length > 0, 'the push after reconnecting');
      expect(errors).toEqual([]);
      subscription.unsubscribe();
    } finally {
      await dispose();
    }
  }, 60_000);
});
