/**
 * The composition root: one runtime per process, one context per operation. A graphql-ws
 * connection's token is verified once, however many operations the socket carries; an
 * operation that brings its own token (GraphiQL's headers) has that one verified.
 */
import { createClient } from 'graphql-ws';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../api/app.js';
import { parseEnv } from '../api/env.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

/** Runs `query` over `client` to its end; resolves with its data. */
function run(client: ReturnType<typeof createClient>, query: string, extensions?: Record<string, unknown>) {
  return new Promise<unknown[]>((resolve, reject) => {
    const results: unknown[] = [];
    client.subscribe(
      { query, extensions },
      {
        next: (result) =>
          result.errors ? reject(new Error(JSON.stringify(result.errors))) : results.push(result.data),
        error: reject,
        complete: () => resolve(results),
      },
    );
  });
}

describe('the runtime', () => {
  it('verifies a connection token once for all the operations of its socket', async () => {
    const token = await server.logIn('student1@demo.test');
    const verify = vi.spyOn(server.app.runtime.tokens, 'verify');
    const client = createClient({
      url: `ws://127.0.0.1:${server.port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      // One socket for the whole test (by default the client closes it when no operation is left).
      lazyCloseTimeout: 60_000,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      const results = await Promise.all([1, 2, 3].map(() => run(client, '{ viewer { email } }')));
      for (const result of results) expect(result).toEqual([{ viewer: { email: 'student1@demo.test' } }]);
      expect(verify).toHaveBeenCalledTimes(1);

      // An operation's own token is verified for it, and answers as that user.
      const instructor = await server.logIn('instructor@demo.test');
      verify.mockClear();
      const own = await run(client, '{ viewer { email } }', { headers: { authorization: `Bearer ${instructor}` } });
      expect(own).toEqual([{ viewer: { email: 'instructor@demo.test' } }]);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
      await client.dispose();
    }
  });

  it('builds the configuration-only parts with the app, so a setting that cannot work fails before anything opens', () => {
    expect(() => buildApp({ env: parseEnv({ EXECUTOR: 'piston' }) })).toThrow(/PISTON_API_URL/);
    const plan = buildApp({ env: parseEnv({ LOG_LEVEL: 'silent' }) }).plan;
    expect(plan.llm).toBeNull();
    expect(plan.coachModel.builtin).toBe(true);
  });

  it('shares one pubsub between the server and its workers', () => {
    const { runtime } = server.app;
    expect(runtime.evaluation.pubsub).toBe(runtime.pubsub);
    expect(runtime.evaluation.executor).toBe(server.app.plan.executor);
  });
});
