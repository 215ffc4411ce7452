/** Learning history: one timeline newest first, keyset pages, who may read it, the access log, and SQL cost. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../api/db.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
/** SQL statements seen while `counting` is on. */
let statements: string[] = [];
let counting = false;

/** Runs an operation as `who` (a key of `tokens`) or anonymously. */
function as<T>(who: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return server.query<T>(who ? (tokens[who] ?? null) : null, query, variables);
}

const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');
const prisma = (): PrismaClient => server.database.prisma;

/** One event created by `seedTimeline`, as the timeline should report it. */
interface Seeded {
  typename: string;
  id: string;
  slug: string;
}

/**
 * Gives `email` an attempt on each item and, per item, `rounds` rounds of five events, one
 * of each kind, a second apart, starting at `start`. Returns them newest first.
 */
async function seedTimeline(email: string, slugs: string[], rounds: number, start: Date): Promise<Seeded[]> {
  const db = prisma();
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const organization = await db.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
  const events: (Seeded & { at: number })[] = [];
  let clock = start.getTime();
  const tick = () => new Date((clock += 1000));
  for (const slug of slugs) {
    const item = await db.contentItem.findFirstOrThrow({ where: { slug, organizationId: null } });
    const attempt = await db.attempt.create({
      data: { userId: user.id, contentItemId: item.id, contentVersionId: item.currentVersionId ?? '' },
    });
    for (let round = 0; round < rounds; round += 1) {
      const snapshotAt = tick();
      const snapshot = await db.solutionSnapshot.create({
        data: { attemptId: attempt.id, language: 'JAVASCRIPT', code: `// draft ${round}`, createdAt: snapshotAt },
      });
      const submissionAt = tick();
      const submission = await db.submission.create({
        data: {
          attemptId: attempt.id,
          userId: user.id,
          language: 'JAVASCRIPT',
          code: `// submission ${round}`,
          idempotencyKey: `${slug}-${round}-${start.getTime()}`,
          payloadHash: 'x',
          createdAt: submissionAt,
        },
      });
      const runAt = tick();
      const run = await db.evaluationRun.create({
        data: { submissionId: submission.id, attemptId: attempt.id, kind: 'CODING_TESTS', queuedAt: runAt },
      });
      const turnAt = tick();
      const turn = await db.socraticTurn.create({
        data: {
          attemptId: attempt.id,
          userId: user.id,
          index: round,
          role: 'COACH',
          action: 'ASK_QUESTION',
          message: `What does test ${round} expect?`,
          model: 'builtin',
          createdAt: turnAt,
        },
      });
      const llmAt = tick();
      const llm = await db.llmInteraction.create({
        data: {
          userId: user.id,
          organizationId: organization.id,
          attemptId: attempt.id,
          turnId: turn.id,
          purpose: 'COACH',
          model: 'builtin',
          prompt: { system: 'secret rubric guidance', messages: [] },
          response: `reply ${round}`,
          tokensIn: 10,
          tokensOut: 5,
          createdAt: llmAt,
        },
      });
      events.push(
        { typename: 'SolutionSnapshot', id: snapshot.id, slug, at: snapshotAt.getTime() },
        { typename: 'Submission', id: submission.id, slug, at: submissionAt.getTime() },
        { typename: 'EvaluationRun', id: run.id, slug, at: runAt.getTime() },
        { typename: 'SocraticTurn', id: turn.id, slug, at: turnAt.getTime() },
        { typename: 'LlmInteraction', id: llm.id, slug, at: llmAt.getTime() },
      );
    }
  }
  return events.sort((a, b) => b.at - a.at).map(({ typename, id, slug }) => ({ typename, id, slug }));
}

const HISTORY = /* GraphQL */ `
  query ($studentId: ID!, $classId: ID, $contentItemId: ID, $first: Int, $after: String) {
    learningHistory(
      studentId: $studentId
      classId: $classId
      contentItemId: $contentItemId
      first: $first
      after: $after
    ) {
      __typename
      ... on LearningEventConnection {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            __typename
            ... on Node {
              id
            }
            ... on SolutionSnapshot {
              code
              attempt {
                contentItem {
                  slug
                }
              }
            }
            ... on Submission {
              submittedCode: code
              evaluationRuns {
                kind
              }
              attempt {
                contentItem {
                  slug
                }
              }
            }
            ... on EvaluationRun {
              status
              submission {
                code
              }
            }
            ... on SocraticTurn {
              message
              action
              attempt {
                contentItem {
                  slug
                }
              }
              llmInteractions {
                response
              }
            }
            ... on LlmInteraction {
              response
              prompt
              user {
                name
              }
              turn {
                index
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

type HistoryNode = { __typename: string; id: string; prompt?: unknown };
type History = {
  learningHistory: {
    __typename: string;
    message?: string;
    totalCount?: number;
    pageInfo?: { hasNextPage: boolean; endCursor: string | null };
    edges?: { cursor: string; node: HistoryNode }[];
  };
};

async function history(who: string | null, variables: Record<string, unknown>): Promise<History['learningHistory']> {
  return (await as<History>(who, HISTORY, variables)).learningHistory;
}

async function accessLogCount(viewer: string, resource: string): Promise<number> {
  return prisma().accessLog.count({ where: { viewerId: users[viewer], resource } });
}

let student1Events: Seeded[];
let algorithmsId: string;

beforeAll(async () => {
  server = await startTestServer({ onQuery: (sql) => counting && statements.push(sql) });
  const db = prisma();
  await db.organization.create({ data: { slug: 'other-school', name: 'Other School' } });
  await server.graphql(
    'mutation { signUp(input: { email: "outsider@other.test", password: "password-1", name: "Outsider" }) { __typename } }',
  );
  await server.graphql(
    'mutation { signUp(input: { email: "admin@demo.test", password: "password-1", name: "Admin" }) { __typename } }',
  );
  const demo = await db.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
  const other = await db.organization.findUniqueOrThrow({ where: { slug: 'other-school' } });
  for (const email of ['student1', 'student2', 'student3', 'instructor'].map((n) => `${n}@demo.test`)) {
    tokens[email.split('@')[0] ?? ''] = await server.logIn(email);
  }
  for (const user of await db.user.findMany()) users[user.email.split('@')[0] ?? ''] = user.id;
  await db.membership.create({ data: { userId: users.outsider ?? '', organizationId: other.id, role: 'INSTRUCTOR' } });
  await db.membership.create({ data: { userId: users.admin ?? '', organizationId: demo.id, role: 'ADMIN' } });
  tokens.outsider = await server.logIn('outsider@other.test', 'password-1');
  tokens.admin = await server.logIn('admin@demo.test', 'password-1');

  const algorithms = await db.class.findFirstOrThrow({ where: { name: 'Algorithms 101' } });
  algorithmsId = globalId('Class', algorithms.id);
  const twoSum = await db.contentItem.findFirstOrThrow({ where: { slug: 'two-sum', organizationId: null } });
  await db.assignment.create({ data: { classId: algorithms.id, contentItemId: twoSum.id } });
  student1Events = await seedTimeline(
    'student1@demo.test',
    ['two-sum', 'valid-parentheses'],
    2,
    new Date('2026-01-05T09:00:00Z'),
  );
});

describe('learningHistory', () => {
  it('interleaves drafts, submissions, runs, coach turns and LLM calls, newest first', async () => {
    const page = await history('instructor', { studentId: globalId('User', users.student1 ?? ''), first: 50 });
    expect(page.__typename).toBe('LearningEventConnection');
    expect(page.totalCount).toBe(20);
    expect(page.pageInfo?.hasNextPage).toBe(false);
    expect(page.edges?.map((e) => [e.node.__typename, e.node.id])).toEqual(
      student1Events.map((e) => [e.typename, globalId(e.typename, e.id)]),
    );
    expect(page.edges?.slice(0, 5).map((e) => e.node.__typename)).toEqual([
      'LlmInteraction',
      'SocraticTurn',
      'EvaluationRun',
      'Submission',
      'SolutionSnapshot',
    ]);
    // Instructors see the prompt; the nested fields resolved through the per-type loads.
    expect(page.edges?.[0]?.node).toMatchObject({
      prompt: { system: 'secret rubric guidance' },
      user: { name: 'Sam Student' },
      turn: { index: 1 },
    });
    expect(page.edges?.[3]?.node).toMatchObject({ evaluationRuns: [{ kind: 'CODING_TESTS' }] });
  });

  it('pages with cursors without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await history('instructor', {
        studentId: globalId('User', users.student1 ?? ''),
        first: 3,
        after,
      });
      seen.push(...(page.edges ?? []).map((e) => e.node.id));
      expect(page.totalCount).toBe(20);
      if (!page.pageInfo?.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(student1Events.map((e) => globalId(e.typename, e.id)));
  });

  it('filters by content item and by class', async () => {
    const twoSum = await prisma().contentItem.findFirstOrThrow({ where: { slug: 'two-sum', organizationId: null } });
    const expected = student1Events.filter((e) => e.slug === 'two-sum').map((e) => globalId(e.typename, e.id));
    const byItem = await history('instructor', {
      studentId: globalId('User', users.student1 ?? ''),
      contentItemId: globalId('ContentItem', twoSum.id),
      first: 50,
    });
    expect(byItem.edges?.map((e) => e.node.id)).toEqual(expected);
    expect(byItem.totalCount).toBe(10);
    // Only two-sum is assigned to Algorithms 101.
    const byClass = await history('instructor', {
      studentId: globalId('User', users.student1 ?? ''),
      classId: algorithmsId,
      first: 50,
    });
    expect(byClass.edges?.map((e) => e.node.id)).toEqual(expected);
  });

  it('logs every read by an instructor, and none when students read their own', async () => {
    const before = await accessLogCount('instructor', 'LEARNING_HISTORY');
    await history('instructor', { studentId: globalId('User', users.student1 ?? ''), first: 1 });
    await history('instructor', { studentId: globalId('User', users.student1 ?? ''), first: 1 });
    expect(await accessLogCount('instructor', 'LEARNING_HISTORY')).toBe(before + 2);
    const latest = await prisma().accessLog.findFirstOrThrow({
      where: { viewerId: users.instructor },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { organization: true },
    });
    expect(latest).toMatchObject({ subjectId: users.student1, organization: { slug: 'demo-university' } });

    const own = await history('student1', { studentId: globalId('User', users.student1 ?? ''), first: 50 });
    expect(own.totalCount).toBe(20);
    // The prompt can carry instructor-only material; the student does not get it.
    expect(own.edges?.find((e) => e.node.__typename === 'LlmInteraction')?.node.prompt).toBeNull();
    expect(await prisma().accessLog.count({ where: { viewerId: users.student1 } })).toBe(0);
  });

  it('refuses other students, other organizations, classes the viewer does not teach, and anonymous visitors', async () => {
    const studentId = globalId('User', users.student1 ?? '');
    expect(await history('student2', { studentId })).toMatchObject({ __typename: 'NotFound' });
    expect(await history('outsider', { studentId })).toMatchObject({ __typename: 'NotFound' });
    expect(await history(null, { studentId })).toMatchObject({ __typename: 'Forbidden' });
    const otherClass = await prisma().class.create({
      data: {
        name: 'Not yours',
        organization: { connect: { slug: 'demo-university' } },
        enrollments: { create: { userId: users.student1 ?? '', role: 'STUDENT' } },
      },
    });
    expect(await history('instructor', { studentId, classId: globalId('Class', otherClass.id) })).toMatchObject({
      __typename: 'NotFound',
    });
    expect(await history('instructor', { studentId, after: 'not-a-cursor' })).toMatchObject({
      __typename: 'InvalidInput',
    });
    expect(
      await prisma().accessLog.count({ where: { viewerId: { in: [users.student2 ?? '', users.outsider ?? ''] } } }),
    ).toBe(0);
  });

  it('lets admins read their members’ history, logged', async () => {
    const before = await accessLogCount('admin', 'LEARNING_HISTORY');
    const page = await history('admin', { studentId: globalId('User', users.student1 ?? ''), first: 5 });
    expect(page.edges).toHaveLength(5);
    expect(await accessLogCount('admin', 'LEARNING_HISTORY')).toBe(before + 1);
  });

  it('answers node(id) with null for coach turns and LLM calls of people the viewer may not read', async () => {
    const turn = student1Events.find((e) => e.typename === 'SocraticTurn');
    const llm = student1Events.find((e) => e.typename === 'LlmInteraction');
    const ids = [globalId('SocraticTurn', turn?.id ?? ''), globalId('LlmInteraction', llm?.id ?? '')];
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';
    expect((await as<{ nodes: unknown[] }>('outsider', query, { ids })).nodes).toEqual([null, null]);
    expect((await as<{ nodes: unknown[] }>('student2', query, { ids })).nodes).toEqual([null, null]);
    expect((await as<{ nodes: { id: string }[] }>('instructor', query, { ids })).nodes.map((n) => n.id)).toEqual(ids);
  });

  it('costs the same bounded number of SQL statements for 10 and for 50 events', async () => {
    await seedTimeline(
      'student3@demo.test',
      ['two-sum', 'valid-parentheses', 'climbing-stairs'],
      4,
      new Date('2026-02-01T00:00:00Z'),
    );
    const studentId = globalId('User', users.student3 ?? '');
    const FLAT = `query ($studentId: ID!, $first: Int) {
      learningHistory(studentId: $studentId, first: $first) {
        ... on LearningEventConnection {
          totalCount
          edges { cursor node { __typename ... on Node { id } ... on SolutionSnapshot { code } ... on Submission { idempotencyKey } ... on EvaluationRun { status } ... on SocraticTurn { message } ... on LlmInteraction { response } } }
        }
      }
    }`;
    const count = async (query: string, first: number) => {
      statements = [];
      counting = true;
      try {
        const data = await as<History>('instructor', query, { studentId, first });
        expect(data.learningHistory.edges).toHaveLength(first);
      } finally {
        counting = false;
      }
      return statements.length;
    };
    // Loading the viewer (2), access check and log (3), the page (1), one load per kind (5), totalCount (1).
    const flatFifty = await count(FLAT, 50);
    expect(flatFifty).toBeLessThanOrEqual(12);
    expect(await count(FLAT, 10)).toBe(flatFifty);
    // Nested fields add one statement per relation and level, never one per event.
    const deepFifty = await count(HISTORY, 50);
    expect(await count(HISTORY, 10)).toBe(deepFifty);
    expect(deepFifty).toBeLessThanOrEqual(flatFifty + 12);
  });
});

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
