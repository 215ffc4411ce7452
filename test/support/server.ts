/**
 * Starts the real server on a free port over a fresh test database; `stop()`, or the end of
 * the test file (support/leftovers.ts), stops it and drops the database.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type App, buildApp } from '../../api/app.js';
import { parseEnv } from '../../api/env.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { disposeAfterFile } from './leftovers.js';

/** A started server and a way to talk GraphQL to it over HTTP. */
export interface TestServer {
  app: App;
  database: TestDatabase;
  url: string;
  port: number;
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
  /** Logs in (demo password by default) and returns the access token. */
  logIn(email: string, password?: string): Promise<string>;
  /** Runs an operation with `token` (or anonymously) and returns its data; throws on errors. */
  query<T>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<T>;
  /**
   * Runs an operation over graphql-ws (token in connectionParams) until the server completes
   * it, or `onData` returns true; returns each result's data in order, and passes each to
   * `onData` as it arrives. Rejects with the GraphQL errors of the first result that has some.
   */
  subscribe<T>(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
    onData?: (data: T) => boolean | void,
  ): Promise<T[]>;
  /** POSTs a GraphQL operation; returns the parsed body and the HTTP status. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{
    status: number;
    body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  }>;
}

/**
 * Starts a server for this test file; `seed` (default true) loads the demo data at start;
 * `onQuery` sees every SQL statement the server's Prisma client sends (to count them).
 */
export async function startTestServer(
  options: { seed?: boolean; onQuery?: (sql: string) => void; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase({ onQuery: options.onQuery });
  const dataDir = await mkdtemp(join(tmpdir(), 'practice-test-'));
  const env = parseEnv({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_ON_START: String(options.seed ?? true),
    // The demo students start without made-up activity: tests decide what they have done.
    SEED_DEMO_ACTIVITY: 'false',
    // No evaluation workers unless a test asks for them: runs stay as the test left them.
    EVAL_CONCURRENCY: '0',
    // Tests sign in and write far more often than people; the rate-limit tests set their own.
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000',
    ...options.env,
  });
  const app = buildApp({ env, database });
  const { port, url } = await app.start(0);
  const server: TestServer = {
    app,
    database,
    url,
    port,
    stop: disposeAfterFile(async () => {
      await app.stop();
      await database.close();
    }),
    async graphql(query, variables, headers) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async subscribe<T>(
      token: string | null,
      query: string,
      variables: Record<string, unknown> = {},
      onData: (data: T) => boolean | void = () => {},
    ) {
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      });
      try {
        return await new Promise<T[]>((resolve, reject) => {
          const results: T[] = [];
          const unsubscribe = client.subscribe<T>(
            { query, variables },
            {
              next: (result) => {
                if (result.errors) reject(new Error(JSON.stringify(result.errors)));
                else if (result.data) {
                  results.push(result.data);
                  if (onData(result.data) === true) {
                    unsubscribe();
                    resolve(results);
                  }
                }
              },
              error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
              complete: () => resolve(results),
            },
          );
        });
      } finally {
        await client.dispose();
      }
    },
    async logIn(email, password = 'practice') {
      const { body } = await server.graphql<{ logIn: { token?: string } }>(
        'mutation ($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } } }',
        { input: { email, password } },
      );
      const token = body.data?.logIn.token;
      if (!token) throw new Error(`log-in failed for ${email}: ${JSON.stringify(body)}`);
      return token;
    },
    async query(token, query, variables = {}) {
      const { body } = await server.graphql(query, variables, token ? { authorization: `Bearer ${token}` } : {});
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data as never;
    },
  };
  return server;
}

/** The global ID (as the schema's `id` fields give it) of the `typename` row with database id `id`. */
export const globalId = (typename: string, id: string): string => Buffer.from(`${typename}:${id}`).toString('base64');

/** The database id inside a global ID. */
export const rawId = (globalId: string): string => Buffer.from(globalId, 'base64').toString().split(':')[1] ?? '';

/**
 * `as(who, query, variables)` for a file that keeps its server and its people's tokens (by name)
 * in variables set in `beforeAll`: runs the operation as `tokens[who]`, or anonymously when
 * `who` is null. `current` is read at each call, since the file binds `as` before it starts.
 */
export function actingAs(current: () => { server: TestServer; tokens: Record<string, string> }) {
  return function as<T>(who: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { server, tokens } = current();
    return server.query<T>(who ? (tokens[who] ?? null) : null, query, variables);
  };
}
