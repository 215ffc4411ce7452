/**
 * Authoring question pools over GraphQL: an instructor creates a pool and adds questions in
 * bulk, all or none, with each bad row named by index and field; students may not; a
 * retired question is no longer asked.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { correlation } from './support/irt.js';
import { globalId, rawId, startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let instructor = '';
let student = '';
let organizationId = '';
beforeAll(async () => {
  server = await startTestServer();
  instructor = await server.logIn('instructor@demo.test');
  student = await server.logIn('student1@demo.test');
  const org = await server.database.prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
  organizationId = globalId('Organization', org.id);
});

const CREATE = `mutation ($input: CreateQuestionPoolInput!) { createQuestionPool(input: $input) {
  __typename ... on QuestionPool { id slug concepts questionCount } ... on Error { message } } }`;
const ADD = `mutation ($input: AddQuestionsInput!) { addQuestions(input: $input) {
  __typename ... on AddQuestionsPayload { questions { id key correctOption } }
  ... on InvalidInput { issues { path message } } ... on Error { message } } }`;

const question = (key: string, overrides: Record<string, unknown> = {}) => ({
  key,
  stem: `What is the time complexity of **BFS** (${key})?`,
  options: [
    { key: 'A', text: 'O(V + E)' },
    { key: 'B', text: 'O(V²)' },
    { key: 'C', text: 'O(E log V)' },
  ],
  correctOption: 'A',
  explanation: 'Each vertex and edge is handled once.',
  concepts: ['GRAPHS'],
  discrimination: 1.2,
  difficulty: -0.5,
  ...overrides,
});

describe('question pools', () => {
  it('lets an instructor create a pool and add questions, all or none, naming each bad row', async () => {
    const created = await server.query<{
      createQuestionPool: { __typename: string; id: string; questionCount: number };
    }>(instructor, CREATE, {
      input: { organizationId, slug: 'graphs-basics', name: 'Graphs basics', concepts: ['GRAPHS'] },
    });
    expect(created.createQuestionPool).toMatchObject({ __typename: 'QuestionPool', questionCount: 0 });
    const poolId = created.createQuestionPool.id;
    const again = await server.query<{ createQuestionPool: { __typename: string } }>(instructor, CREATE, {
      input: { organizationId, slug: 'graphs-basics', name: 'Twice', concepts: ['GRAPHS'] },
    });
    expect(again.createQuestionPool.__typename).toBe('Conflict');

    const bad = await server.query<{
      addQuestions: { __typename: string; issues: { path: string[]; message: string }[] };
    }>(instructor, ADD, {
      input: {
        poolId,
        questions: [
          question('graphs-001'),
          question('graphs-002', { correctOption: 'D' }),
          question('graphs-003', { discrimination: 0 }),
          question('graphs-001'),
          question('graphs-004', { concepts: ['HASHING'] }),
        ],
      },
    });
    expect(bad.addQuestions.__typename).toBe('InvalidInput');
    expect(bad.addQuestions.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.questions.1.correctOption',
      'input.questions.2.discrimination',
      'input.questions.3.key',
      'input.questions.4.concepts',
    ]);
    expect(await server.database.prisma.question.count({ where: { pool: { slug: 'graphs-basics' } } })).toBe(0);

    const added = await server.query<{
      addQuestions: { __typename: string; questions: { key: string; correctOption: string }[] };
    }>(instructor, ADD, {
      input: { poolId, questions: [question('graphs-001'), question('graphs-002', { difficulty: 1 })] },
    });
    expect(added.addQuestions.questions.map((q) => [q.key, q.correctOption])).toEqual([
      ['graphs-001', 'A'],
      ['graphs-002', 'A'],
    ]);
    const taken = await server.query<{ addQuestions: { issues: { path: string[] }[] } }>(instructor, ADD, {
      input: { poolId, questions: [question('graphs-002')] },
    });
    expect(taken.addQuestions.issues[0]?.path).toEqual(['input', 'questions', '0', 'key']);

    // A student of the organization sees the pool but may not change it.
    const refused = await server.query<{ addQuestions: { __typename: string } }>(student, ADD, {
      input: { poolId, questions: [question('graphs-009')] },
    });
    expect(refused.addQuestions.__typename).toBe('Forbidden');
  });

  it('stops asking a retired question', async () => {
    const created = await server.query<{ createQuestionPool: { id: string } }>(instructor, CREATE, {
      input: { organizationId, slug: 'retiring', name: 'Retiring', concepts: ['GRAPHS'] },
    });
    const poolId = created.createQuestionPool.id;
    const added = await server.query<{ addQuestions: { questions: { id: string; key: string }[] } }>(instructor, ADD, {
      input: { poolId, questions: [question('r-1'), question('r-2')] },
    });
    const retired = added.addQuestions.questions[0]?.id ?? '';
    const result = await server.query<{ retireQuestion: { __typename: string; status?: string } }>(
      instructor,
      'mutation ($id: ID!) { retireQuestion(questionId: $id) { __typename ... on Question { status } } }',
      { id: retired },
    );
    expect(result.retireQuestion).toEqual({ __typename: 'Question', status: 'RETIRED' });
    for (let i = 0; i < 5; i += 1) {
      const started = await server.query<{ startAdaptiveTest: { nextQuestion: { id: string } } }>(
        student,
        'mutation ($input: StartAdaptiveTestInput!) { startAdaptiveTest(input: $input) { ... on AdaptiveTestSession { nextQuestion { id } } } }',
        { input: { poolId } },
      );
      expect(started.startAdaptiveTest.nextQuestion.id).not.toBe(retired);
    }
  });
});

describe('question statistics', () => {
  it('shows a pool’s authors each question with its statistics, and its students’ tests in their history', async () => {
    const created = await server.query<{ createQuestionPool: { id: string } }>(instructor, CREATE, {
      input: { organizationId, slug: 'statistics', name: 'Statistics', concepts: ['GRAPHS'] },
    });
    const poolId = created.createQuestionPool.id;
    await server.query(instructor, ADD, {
      input: {
        poolId,
        questions: [question('s-1', { difficulty: -1 }), question('s-2', { difficulty: 0 }), question('s-3')],
      },
    });
    // Three students each answer all three questions; student k gets the first k right.
    const students = ['student1@demo.test', 'student2@demo.test', 'student3@demo.test'];
    for (const [k, email] of students.entries()) {
      const token = await server.logIn(email);
      const started = await server.query<{ startAdaptiveTest: { id: string; nextQuestion: { id: string } | null } }>(
        token,
        'mutation ($input: StartAdaptiveTestInput!) { startAdaptiveTest(input: $input) { ... on AdaptiveTestSession { id nextQuestion { id } } } }',
        { input: { poolId, maxQuestions: 3, targetStandardError: 0.05 } },
      );
      let next = started.startAdaptiveTest.nextQuestion;
      for (let i = 0; next; i += 1) {
        const answered = await server.query<{ answerQuestion: { nextQuestion: { id: string } | null } }>(
          token,
          'mutation ($input: AnswerQuestionInput!) { answerQuestion(input: $input) { ... on AdaptiveTestSession { nextQuestion { id } } } }',
          {
            input: {
              sessionId: started.startAdaptiveTest.id,
              questionId: next.id,
              choice: i <= k - 1 ? 'A' : 'B',
              idempotencyKey: `stats-${k}-${i}`,
            },
          },
        );
        next = answered.answerQuestion.nextQuestion;
      }
    }
    const POOL = `query ($id: ID!) { node(id: $id) { ... on QuestionPool { viewerCanAuthor questions {
      id key statistics { administered exposureRate responses proportionCorrect pointBiserial } } } } }`;
    type Stats = { administered: number; exposureRate: number; responses: number; proportionCorrect: number };
    const seen = await server.query<{
      node: {
        viewerCanAuthor: boolean;
        questions: { id: string; key: string; statistics: (Stats & { pointBiserial: number | null }) | null }[];
      };
    }>(instructor, POOL, { id: poolId });
    expect(seen.node.viewerCanAuthor).toBe(true);
    expect(seen.node.questions.map((q) => q.key)).toEqual(['s-1', 's-2', 's-3']);
    // The expected figures, from the stored responses and the sessions' θ.
    const responses = await server.database.prisma.testResponse.findMany({
      where: { question: { poolId: rawId(poolId) } },
      include: { session: { select: { theta: true } } },
    });
    for (const q of seen.node.questions) {
      const own = responses.filter((r) => r.questionId === rawId(q.id));
      const right = own.map((r) => (r.correct ? 1 : 0));
      const thetas = own.map((r) => r.session.theta);
      expect(q.statistics).toMatchObject({
        administered: 3,
        exposureRate: 1,
        responses: 3,
        proportionCorrect: expect.closeTo(right.reduce((a: number, b) => a + b, 0) / 3, 10),
      });
      expect(q.statistics?.pointBiserial ?? null).toEqual(
        new Set(right).size < 2 ? null : expect.closeTo(correlation(right, thetas), 10),
      );
    }
    // The ones answered right more often by abler students discriminate: positive correlations.
    expect(seen.node.questions.some((q) => (q.statistics?.pointBiserial ?? 0) > 0.5)).toBe(true);
    // A question nobody has answered yet has no proportion correct.
    await server.query(instructor, ADD, { input: { poolId, questions: [question('s-new')] } });
    const fresh = await server.query<typeof seen>(instructor, POOL, { id: poolId });
    expect(fresh.node.questions.find((q) => q.key === 's-new')?.statistics).toEqual({
      administered: 0,
      exposureRate: 0,
      responses: 0,
      proportionCorrect: null,
      pointBiserial: null,
    });
    // Students see neither the questions nor their statistics.
    const hidden = await server.query<{ node: { viewerCanAuthor: boolean; questions: unknown[] } }>(student, POOL, {
      id: poolId,
    });
    expect(hidden.node).toEqual({ viewerCanAuthor: false, questions: [] });
    const byNode = await server.query<{ node: { statistics: unknown } }>(
      student,
      'query ($id: ID!) { node(id: $id) { ... on Question { statistics { administered } } } }',
      { id: seen.node.questions[0]?.id },
    );
    expect(byNode.node.statistics).toBeNull();

    // The test is in the student's learning history, for them and their instructor; and its
    // per-concept θ is their proficiency, with mastery.
    const user = await server.database.prisma.user.findUniqueOrThrow({ where: { email: 'student3@demo.test' } });
    const HISTORY = `query ($id: ID!) { learningHistory(studentId: $id) { ... on LearningEventConnection {
      edges { node { __typename ... on AdaptiveTestSession { pool { slug } itemsAnswered status } } } } } }`;
    for (const token of [await server.logIn('student3@demo.test'), instructor]) {
      const history = await server.query<{
        learningHistory: { edges: { node: { __typename: string; pool?: { slug: string } } }[] };
      }>(token, HISTORY, { id: globalId('User', user.id) });
      expect(
        history.learningHistory.edges.find(
          (edge) => edge.node.__typename === 'AdaptiveTestSession' && edge.node.pool?.slug === 'statistics',
        )?.node,
      ).toEqual({
        __typename: 'AdaptiveTestSession',
        pool: { slug: 'statistics' },
        itemsAnswered: 3,
        status: 'COMPLETED',
      });
    }
    // Their instructor reading their tests and proficiency is in the access log.
    const logged = () =>
      server.database.prisma.accessLog.count({ where: { subjectId: user.id, resource: 'LEARNING_HISTORY' } });
    for (const field of ['adaptiveTestSessions { id }', 'conceptProficiencies { concept }']) {
      const before = await logged();
      const read = await server.query<{ node: Record<string, unknown[]> }>(
        instructor,
        `query ($id: ID!) { node(id: $id) { ... on User { ${field} } } }`,
        { id: globalId('User', user.id) },
      );
      expect(Object.values(read.node)[0]?.length).toBeGreaterThan(0);
      expect(await logged()).toBe(before + 1);
    }
    const proficiency = await server.query<{
      viewer: { conceptProficiencies: { concept: string; theta: number; mastery: number; responses: number }[] };
    }>(
      await server.logIn('student3@demo.test'),
      '{ viewer { conceptProficiencies { concept theta mastery responses } } }',
    );
    const graphs = proficiency.viewer.conceptProficiencies.find((p) => p.concept === 'GRAPHS');
    expect(graphs?.responses).toBe(3);
    expect(graphs?.mastery).toBeCloseTo(1 / (1 + Math.exp(-(graphs?.theta ?? 0))), 10);
    expect(graphs?.mastery).toBeGreaterThan(0.5);
  });
});
