/**
 * Protection before execution: query limits, body size, per-IP and per-user rate limits,
 * CSRF prevention, CORS, introspection switched off, the statement timeout, the
 * GraphQL-over-HTTP audit, and graphql-ws close codes.
 */
import { getNamedType, type GraphQLNamedType, isAbstractType, isLeafType, isNonNullType, isObjectType } from 'graphql';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openDatabase } from '../api/db.js';
import { parseEnv } from '../api/env.js';
import { CSRF_HEADER } from '../api/protect.js';
import { schema } from '../api/schema/index.js';
import { CSRF_HEADER as CLIENT_CSRF_HEADER } from '../client/client.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const tokens = { student1: '', student2: '', instructor: '' };
let twoSumId = '';

beforeAll(async () => {
  server = await startTestServer({
    env: {
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_MAX_DEPTH: '6',
      GRAPHQL_MAX_TOKENS: '400',
      MAX_BODY_BYTES: '4096',
      RATE_LIMIT_AUTH_PER_MINUTE: '3',
      RATE_LIMIT_MUTATIONS_PER_MINUTE: '3',
      CORS_ORIGINS: 'https://app.example.test',
    },
  });
  // Three sign-ins from this address: all the limit allows in a minute.
  tokens.student1 = await server.logIn('student1@demo.test');
  tokens.student2 = await server.logIn('student2@demo.test');
  tokens.instructor = await server.logIn('instructor@demo.test');
  twoSumId = (await server.query<{ contentItem: { id: string } }>(null, '{ contentItem(slug: "two-sum") { id } }'))
    .contentItem.id;
}, 120_000);

const messages = (body: { errors?: { message: string }[] }) =>
  (body.errors ?? []).map((error) => error.message).join(' ');

describe('query limits', () => {
  it('refuses too many aliases, too deep a query and too many tokens, before running them', async () => {
    const aliases = await server.graphql('{ a: viewer { id } b: viewer { id } c: viewer { id } d: viewer { id } }');
    expect(messages(aliases.body)).toMatch(/Aliases limit of 3 exceeded/);
    expect(aliases.body.data).toBeUndefined();

    const deep = await server.graphql(
      '{ contentItems { edges { node { currentVersion { contentItem { currentVersion { contentItem { slug } } } } } } } }',
    );
    expect(messages(deep.body)).toMatch(/depth/i);
    expect(deep.body.data ?? null).toBeNull();

    const tokens = await server.graphql(`{ viewer { ${Array.from({ length: 450 }, () => 'id').join(' ')} } }`);
    expect(messages(tokens.body)).toMatch(/Token limit of 400 exceeded/);

    const fine = await server.graphql('{ a: contentItems(first: 1) { totalCount } b: viewer { id } }');
    expect(fine.body.errors).toBeUndefined();
  });

  it('counts aliases of __typename and of introspection fields like any other', async () => {
    const typenames = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    const over = await server.graphql(typenames(4));
    expect(messages(over.body)).toMatch(/Aliases limit of 3 exceeded, found 4/);
    expect(over.body.data).toBeUndefined();
    const atLimit = await server.graphql<Record<string, string>>(typenames(3));
    expect(atLimit.body.errors).toBeUndefined();
    expect(atLimit.body.data).toEqual({ t0: 'Query', t1: 'Query', t2: 'Query' });
    // Whatever is aliased: introspection fields count too.
    const mixed = await server.graphql(
      '{ a: __typename b: __schema { queryType { name } } c: __type(name: "Query") { name } d: viewer { id } }',
    );
    expect(messages(mixed.body)).toMatch(/Aliases limit of 3 exceeded, found 4/);
    expect(mixed.body.data).toBeUndefined();
  });

  it('refuses a request body over the size limit with 413', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(5_000) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/larger than 4096 bytes/);
  });

  it('refuses a chunked request body, whose size is not declared, with 411', async () => {
    const { request } = await import('node:http');
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: body }));
      });
      req.on('error', reject);
      // Far over the cap, in small chunks: it is refused without being read.
      for (let i = 0; i < 20; i++)
        req.write(`{"query":"{ __typename }","variables":{"padding":"${'x'.repeat(1_000)}"}}`);
      req.end();
    });
    expect(status).toBe(411);
    expect(text).toMatch(/Content-Length/);
  });
});

/**
 * Everything `levels` deep from a value of `type`, as a generated full-payload fragment would
 * select it: every field that needs no argument, every member of a union, and objects below
 * the last level left out. Returns the selection set and how many fields it selects (Pothos'
 * breadth).
 */
function selectEverything(type: GraphQLNamedType, levels: number): { selection: string; fields: number } {
  if (isAbstractType(type)) {
    const members = schema.getPossibleTypes(type).map((member) => {
      const { selection, fields } = selectEverything(member, levels);
      return { selection: `... on ${member.name} ${selection}`, fields };
    });
    return {
      selection: `{ __typename ${members.map((member) => member.selection).join(' ')} }`,
      fields: 1 + members.reduce((sum, member) => sum + member.fields, 0),
    };
  }
  if (!isObjectType(type)) throw new Error(`${type.name} has no fields`);
  const parts: string[] = [];
  let fields = 0;
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
      fields += 1;
    } else if (levels > 0) {
      const inner = selectEverything(named, levels - 1);
      parts.push(`${field.name} ${inner.selection}`);
      fields += 1 + inner.fields;
    }
  }
  return { selection: `{ ${parts.join(' ')} }`, fields };
}

describe('the default limits', () => {
  let defaults: TestServer;
  beforeAll(async () => {
    defaults = await startTestServer();
  }, 120_000);
  afterAll(() => defaults?.stop());

  it('accept a selection of everything two levels deep from startAttempt’s payload', async () => {
    const payload = schema.getMutationType()?.getFields().startAttempt?.type;
    if (!payload) throw new Error('no startAttempt');
    // The payload's members, their fields (level 1) and the fields of those (level 2).
    const { selection, fields } = selectEverything(getNamedType(payload), 2);
    const breadth = 1 + fields;
    // Wider than the old default of 300, narrower than today's.
    expect(breadth).toBeGreaterThan(300);
    expect(breadth).toBeLessThanOrEqual(parseEnv({}).GRAPHQL_MAX_BREADTH);
    const token = await defaults.logIn('student3@demo.test');
    const id = (await defaults.query<{ contentItem: { id: string } }>(null, '{ contentItem(slug: "two-sum") { id } }'))
      .contentItem.id;
    const started = await defaults.graphql<{ startAttempt: { __typename: string; id?: string } }>(
      `mutation ($id: ID!) { startAttempt(input: { contentItemId: $id }) ${selection} }`,
      { id },
      { authorization: `Bearer ${token}` },
    );
    expect(started.body.errors).toBeUndefined();
    expect(started.body.data?.startAttempt).toMatchObject({ __typename: 'Attempt', id: expect.any(String) });
  });
});

describe('rate limits', () => {
  it('limits sign-ins per address and mutations per user, with a typed code', async () => {
    // beforeAll signed in three times from this address: the limit.
    const limited = await server.graphql(
      'mutation { logIn(input: { email: "student3@demo.test", password: "practice" }) { __typename } }',
    );
    expect(limited.body.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(messages(limited.body)).toMatch(/Too many sign-in attempts/);

    // Mutations count per user: one user's limit leaves another's alone.
    const start = (token: string) =>
      server.graphql(
        'mutation ($id: ID!) { startAttempt(input: { contentItemId: $id }) { __typename } }',
        { id: twoSumId },
        { authorization: `Bearer ${token}` },
      );
    for (let i = 0; i < 3; i++) expect((await start(tokens.student1)).body.errors).toBeUndefined();
    const blocked = await start(tokens.student1);
    expect(blocked.body.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect((await start(tokens.student2)).body.errors).toBeUndefined();
  });
});

describe('browsers', () => {
  it('prevents CSRF: GET needs the header, JSON POSTs do not, and a form post is refused', async () => {
    const get = (headers: Record<string, string> = {}) =>
      fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { accept: 'application/graphql-response+json', ...headers },
      });
    const refused = await get();
    expect(refused.status).toBe(403);
    // A proper GraphQL-over-HTTP error response that names the header to send.
    expect(refused.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const refusal = (await refused.json()) as { errors?: { message: string }[]; data?: unknown };
    expect(refusal.data).toBeUndefined();
    expect(messages(refusal)).toMatch(/x-graphql-csrf/);
    expect((await get({ [CSRF_HEADER]: '1' })).status).toBe(200);
    const form = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    expect(form.status).toBe(403);
    expect((await server.graphql('{ __typename }')).status).toBe(200);
    // The app's client sends the header the server asks for.
    expect(CLIENT_CSRF_HEADER).toBe(CSRF_HEADER);
  });

  it('answers CORS preflights for the configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://app.example.test')).headers.get('access-control-allow-origin')).toBe(
      'https://app.example.test',
    );
    expect((await preflight('https://evil.example.test')).headers.get('access-control-allow-origin')).not.toBe(
      'https://evil.example.test',
    );
  });
});

describe('the GraphQL-over-HTTP spec', () => {
  it('meets every MUST of graphql-http’s audit', async () => {
    const audits = serverAudits({
      url: `${server.url}/graphql`,
      // A browser client of this API sends the CSRF header with GET requests.
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), [CSRF_HEADER]: '1' } }),
    });
    const failures: string[] = [];
    for (const audit of audits) {
      if (!audit.name.startsWith('MUST')) continue;
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('graphql-ws', () => {
  const connect = (params: Record<string, unknown>) =>
    new Promise<{ code: number; reason: string }>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: params })));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type === 'connection_ack') {
          const subscribe = {
            id: 'same',
            type: 'subscribe',
            payload: { query: 'subscription { leaderboardChanged(scope: GLOBAL, window: ALL_TIME) { rank } }' },
          };
          socket.send(JSON.stringify(subscribe));
          socket.send(JSON.stringify(subscribe));
        }
      });
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    });

  it('closes with 4403 Forbidden for an invalid token, and 4409 for a duplicate subscription id', async () => {
    expect(await connect({ authorization: 'Bearer not-a-token' })).toMatchObject({ code: 4403 });
    expect(await connect({ authorization: `Bearer ${tokens.instructor}` })).toMatchObject({ code: 4409 });
  });

  it('checks a token sent with one operation, as GraphiQL sends it (extensions.headers)', async () => {
    const run = (authorization: string) =>
      new Promise<{ type: string; payload?: unknown }>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${server.port}/graphql`, 'graphql-transport-ws');
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
          if (message.type === 'connection_ack') {
            socket.send(
              JSON.stringify({
                id: '1',
                type: 'subscribe',
                payload: {
                  query: 'subscription { leaderboardChanged(scope: GLOBAL, window: ALL_TIME) { rank } }',
                  extensions: { headers: { Authorization: authorization } },
                },
              }),
            );
            return;
          }
          resolve(message);
          socket.close();
        });
      });
    // A token that does not verify fails the operation (the socket stays open for others).
    expect(await run('Bearer not-a-token')).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'UNAUTHENTICATED' } }],
    });
    // A valid one signs the operation in: the board arrives.
    expect(await run(`Bearer ${tokens.student2}`)).toMatchObject({
      type: 'next',
      payload: { data: { leaderboardChanged: expect.any(Array) } },
    });
  });
});

describe('the database', () => {
  it('holds every statement of the server to the statement timeout', async () => {
    const database = await openDatabase({
      databaseUrl: process.env.TEST_DATABASE_URL,
      pgliteDir: 'memory://',
      statementTimeoutMs: 200,
    });
    try {
      expect(await database.prisma.$queryRawUnsafe('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
      // PostgreSQL cancels the statement; PGlite (one thread, in WebAssembly) cannot interrupt one.
      if (database.mode === 'postgres') {
        await expect(database.prisma.$queryRawUnsafe('SELECT pg_sleep(2)::text')).rejects.toThrow(/statement timeout/);
      }
      await expect(database.prisma.$queryRawUnsafe('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
  });
});
