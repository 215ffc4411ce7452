/**
 * Authoring question pools over GraphQL: an instructor creates a pool and adds questions in
 * bulk, all or none, with each bad row named by index and field; students may not; a
 * retired question is no longer asked.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { globalId, startTestServer, type TestServer } from './support/server.js';

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
