/**
 * The records around learning history: a student's LLM calls (their instructors see the prompt,
 * reads logged; students see their own without it) and the access log, which only admins read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { historyClient, type Seeded, startHistoryServer } from './support/history.js';
import { globalId, type TestServer } from './support/server.js';

let server: TestServer;
let tokens: Record<string, string> = {};
let users: Record<string, string> = {};
let student1Events: Seeded[];

beforeAll(async () => {
  ({ server, tokens, users, student1Events } = await startHistoryServer());
});

const { as, prisma, history, accessLogCount } = historyClient(() => ({ server, tokens, users }));

describe('llmInteractions', () => {
  const QUERY = /* GraphQL */ `
    query ($filter: LlmInteractionFilter, $first: Int, $after: String) {
      llmInteractions(filter: $filter, first: $first, after: $after) {
        __typename
        ... on QueryLlmInteractionsConnection {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              id
              model
              prompt
              response
              tokensIn
              tokensOut
              createdAt
              user {
                name
              }
              attempt {
                contentItem {
                  slug
                }
              }
            }
          }
        }
        ... on Error {
          message
        }
      }
    }
  `;
  type Result = {
    llmInteractions: {
      __typename: string;
      totalCount?: number;
      pageInfo?: { hasNextPage: boolean; endCursor: string };
      edges?: { node: { id: string; prompt: unknown; createdAt: string; user: { name: string } } }[];
    };
  };

  it('lists a student’s LLM calls newest first to their instructor, logging the read once per student', async () => {
    const before = await accessLogCount('instructor', 'LLM_INTERACTIONS');
    const data = await as<Result>('instructor', QUERY, {
      filter: { studentId: globalId('User', users.student1 ?? '') },
      first: 3,
    });
    const expected = student1Events.filter((e) => e.typename === 'LlmInteraction');
    expect(data.llmInteractions.totalCount).toBe(expected.length);
    expect(data.llmInteractions.edges?.map((e) => e.node.id)).toEqual(
      expected.slice(0, 3).map((e) => globalId('LlmInteraction', e.id)),
    );
    expect(data.llmInteractions.edges?.[0]?.node.prompt).toEqual({ system: 'secret rubric guidance', messages: [] });
    expect(await accessLogCount('instructor', 'LLM_INTERACTIONS')).toBe(before + 1);

    const next = await as<Result>('instructor', QUERY, {
      filter: { studentId: globalId('User', users.student1 ?? '') },
      first: 3,
      after: data.llmInteractions.pageInfo?.endCursor,
    });
    expect(next.llmInteractions.edges?.map((e) => e.node.id)).toEqual(
      expected.slice(3).map((e) => globalId('LlmInteraction', e.id)),
    );
  });

  it('filters by content item and time, and shows students their own calls without the prompt, unlogged', async () => {
    const twoSum = await prisma().contentItem.findFirstOrThrow({ where: { slug: 'two-sum', organizationId: null } });
    const own = await as<Result>('student1', QUERY, {
      filter: { contentItemId: globalId('ContentItem', twoSum.id), to: '2026-01-06T00:00:00Z' },
      first: 50,
    });
    expect(own.llmInteractions.totalCount).toBe(2);
    expect(own.llmInteractions.edges?.every((e) => e.node.prompt === null && e.node.user.name === 'Sam Student')).toBe(
      true,
    );
    expect(await prisma().accessLog.count({ where: { viewerId: users.student1 } })).toBe(0);

    const bad = await as<Result>('student1', QUERY, {
      filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    });
    expect(bad.llmInteractions.__typename).toBe('InvalidInput');
  });

  it('shows nothing of other students', async () => {
    const other = await as<Result>('student2', QUERY, {
      filter: { studentId: globalId('User', users.student1 ?? '') },
    });
    expect(other.llmInteractions).toMatchObject({ totalCount: 0, edges: [] });
    const outsider = await as<Result>('outsider', QUERY, {});
    expect(outsider.llmInteractions).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('accessLog', () => {
  const QUERY =
    '{ accessLog(first: 100) { totalCount edges { node { resource createdAt viewer { name } subject { name } organization { slug } } } } }';
  type Result = {
    accessLog: {
      totalCount: number;
      edges: { node: { resource: string; createdAt: string; viewer: { name: string }; subject: { name: string } } }[];
    };
  };

  it('shows admins who read whose history, newest first; nobody else sees it', async () => {
    await history('instructor', { studentId: globalId('User', users.student1 ?? ''), first: 1 });
    const admin = await as<Result>('admin', QUERY);
    expect(admin.accessLog.totalCount).toBe(await prisma().accessLog.count());
    expect(admin.accessLog.edges[0]?.node).toMatchObject({
      resource: 'LEARNING_HISTORY',
      viewer: { name: 'Ada Instructor' },
      subject: { name: 'Sam Student' },
    });
    const times = admin.accessLog.edges.map((e) => e.node.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await as<Result>('instructor', QUERY)).accessLog).toEqual({ totalCount: 0, edges: [] });
    expect((await as<Result>('student1', QUERY)).accessLog.totalCount).toBe(0);
  });
});
