/**
 * Dashboard benchmark: a student's dashboard query (viewer, 20 content items with progress,
 * streak, badges) on the real server, against a bare graphql-yoga hello-world and against
 * hand-written SQL doing the same reads behind a plain HTTP handler, all with autocannon.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { createSchema, createYoga } from 'graphql-yoga';
import type { Database } from '../api/db.js';
import { earn } from '../test/support/rewards.js';
import { startBenchServer } from './server.js';

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface DashboardReport {
  seconds: number;
  connections: number;
  app: LoadResult;
  helloWorld: LoadResult;
  sql: LoadResult;
}

export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard {
    viewer {
      name
      points
      solvedCount
      currentStreak
      longestStreak
      badges {
        awardedAt
        badge {
          name
        }
      }
    }
    contentItems(first: 20) {
      edges {
        node {
          id
          title
          difficulty
          viewerProgress {
            status
            bestScore
          }
        }
      }
    }
  }
`;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function load(
  name: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { seconds: number; connections: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    connections: options.connections,
    duration: options.seconds,
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Runs the three loads one after the other on `db` (migrated, otherwise empty). */
export async function benchDashboard(
  db: Database,
  options: { seconds: number; connections: number; log: (line: string) => void },
): Promise<DashboardReport> {
  const server = await startBenchServer(db);
  const { app, url } = server;
  const hello = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
    logging: false,
  });
  const helloServer = createServer(hello);
  const sqlServer = createServer();
  try {
    options.log('dashboard: seeding a student with solves and a badge…');
    const student = await db.prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
    for (const [index, slug] of ['two-sum', 'binary-search', 'group-anagrams'].entries()) {
      await earn(db.prisma, { userId: student.id, slug, at: new Date(Date.now() - index * 86_400_000), score: 1 });
    }
    const token = await server.logIn('student1@demo.test');

    // The same reads in hand-written SQL: the viewer with totals and badges, and 20 items with progress.
    sqlServer.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        void (async () => {
          const [viewer] = await db.prisma.$queryRaw<Record<string, unknown>[]>`
            SELECT u."name", COALESCE(t."points", 0) AS "points", COALESCE(t."solvedCount", 0) AS "solvedCount",
                   u."currentStreak", u."longestStreak",
                   COALESCE((SELECT json_agg(json_build_object('awardedAt', ub."awardedAt", 'name', b."name") ORDER BY ub."awardedAt")
                             FROM "UserBadge" ub JOIN "Badge" b ON b."id" = ub."badgeId" WHERE ub."userId" = u."id"), '[]') AS "badges"
            FROM "User" u
            LEFT JOIN "LeaderboardTotal" t ON t."userId" = u."id" AND t."period" = 'ALL_TIME' AND t."track" = 'ALL'
            WHERE u."id" = ${student.id}::uuid`;
          const items = await db.prisma.$queryRaw<Record<string, unknown>[]>`
            SELECT i."id", i."title", i."difficulty", p."status", p."bestScore"
            FROM "ContentItem" i
            LEFT JOIN "UserContentProgress" p ON p."contentItemId" = i."id" AND p."userId" = ${student.id}::uuid
            WHERE i."currentVersionId" IS NOT NULL AND i."organizationId" IS NULL
            ORDER BY i."track", i."pattern", i."rung", i."slug"
            LIMIT 20`;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { viewer, items } }));
        })().catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
      });
    });
    const helloUrl = await listen(helloServer);
    const sqlUrl = await listen(sqlServer);
    const run = { seconds: options.seconds, connections: options.connections };

    options.log(`dashboard: the app (${options.seconds} s)…`);
    const appResult = await load(
      'app',
      `${url}/graphql`,
      JSON.stringify({ query: DASHBOARD_QUERY }),
      {
        authorization: `Bearer ${token}`,
      },
      run,
    );
    options.log(`dashboard: bare yoga hello-world (${options.seconds} s)…`);
    const helloResult = await load('hello', `${helloUrl}/graphql`, JSON.stringify({ query: '{ hello }' }), {}, run);
    options.log(`dashboard: hand-written SQL (${options.seconds} s)…`);
    const sqlResult = await load('sql', sqlUrl, '{}', {}, run);
    return { ...run, app: appResult, helloWorld: helloResult, sql: sqlResult };
  } finally {
    helloServer.close();
    sqlServer.close();
    await app.stop();
  }
}
