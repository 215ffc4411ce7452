/** Learning history: one timeline newest first, keyset pages, filters, who may read it (logged), and SQL cost. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HISTORY,
  type History,
  historyClient,
  type Seeded,
  seedTimeline,
  startHistoryServer,
} from './support/history.js';
import { globalId, type TestServer } from './support/server.js';

let server: TestServer;
let tokens: Record<string, string> = {};
let users: Record<string, string> = {};
let student1Events: Seeded[];
let algorithmsId: string;
/** SQL statements seen while `counting` is on. */
let statements: string[] = [];
let counting = false;

beforeAll(async () => {
  ({ server, tokens, users, student1Events, algorithmsId } = await startHistoryServer({
    onQuery: (sql) => counting && statements.push(sql),
  }));
});

const { as, prisma, history, accessLogCount } = historyClient(() => ({ server, tokens, users }));

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
      prisma(),
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
