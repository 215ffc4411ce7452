/**
 * Adaptive tests over GraphQL: the seeded pool is offered, a student takes a test to its
 * end, a question's answer is hidden until they have answered it, and failures are typed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { globalId, startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const SESSION = `
  id status stopReason itemsAnswered accuracy learningGain
  proficiency { theta standardError }
  conceptProficiencies { concept theta standardError confidence responses }
  nextQuestion { id stem concepts options { key text } correctOption explanation }
  responses { choice correct thetaBefore thetaAfter standardErrorAfter question { id correctOption explanation } }
`;

interface Session {
  id: string;
  status: string;
  stopReason: string | null;
  itemsAnswered: number;
  accuracy: number | null;
  proficiency: { theta: number; standardError: number };
  conceptProficiencies: { concept: string; responses: number }[];
  nextQuestion: {
    id: string;
    options: { key: string }[];
    correctOption: string | null;
    explanation: string | null;
  } | null;
  responses: {
    correct: boolean;
    thetaAfter: number;
    standardErrorAfter: number;
    question: { correctOption: string | null; explanation: string | null };
  }[];
}

type Result = Session & { __typename: string; message?: string };

describe('adaptive tests over GraphQL', () => {
  it('offers the seeded pool, and takes a test to its end without showing an answer before it is given', async () => {
    const token = await server.logIn('student1@demo.test');
    const { questionPools } = await server.query<{
      questionPools: { id: string; slug: string; questionCount: number; concepts: string[] }[];
    }>(token, '{ questionPools { id slug questionCount concepts } }');
    const pool = questionPools.find((p) => p.slug === 'algorithms-foundations');
    expect(pool?.questionCount).toBeGreaterThanOrEqual(150);

    const started = await server.query<{ startAdaptiveTest: Result }>(
      token,
      `mutation ($input: StartAdaptiveTestInput!) { startAdaptiveTest(input: $input) { __typename ... on AdaptiveTestSession { ${SESSION} } ... on Error { message } } }`,
      { input: { poolId: pool?.id, maxQuestions: 5, concepts: ['HASHING', 'GRAPHS'] } },
    );
    let session: Session = started.startAdaptiveTest;
    expect(started.startAdaptiveTest.__typename).toBe('AdaptiveTestSession');
    expect(session).toMatchObject({ status: 'ACTIVE', itemsAnswered: 0, accuracy: null });
    for (let i = 0; session.nextQuestion; i += 1) {
      const question = session.nextQuestion;
      // Never before answering: not the option, not the explanation, not by node(id) either.
      expect(question.correctOption).toBeNull();
      expect(question.explanation).toBeNull();
      const byNode = await server.query<{ node: { correctOption: string | null } }>(
        token,
        'query ($id: ID!) { node(id: $id) { ... on Question { correctOption } } }',
        { id: question.id },
      );
      expect(byNode.node.correctOption).toBeNull();
      const answered = await server.query<{ answerQuestion: Result }>(
        token,
        `mutation ($input: AnswerQuestionInput!) { answerQuestion(input: $input) { __typename ... on AdaptiveTestSession { ${SESSION} } ... on Error { message } } }`,
        {
          input: {
            sessionId: session.id,
            questionId: question.id,
            choice: question.options[i % question.options.length]?.key,
            idempotencyKey: `api-${i}`,
          },
        },
      );
      expect(answered.answerQuestion.__typename).toBe('AdaptiveTestSession');
      session = answered.answerQuestion;
      // Once answered, its answer is shown.
      const last = session.responses.at(-1);
      expect(last?.question.correctOption).toMatch(/^[A-E]$/);
      expect(last?.question.explanation).not.toBe('');
    }
    expect(session).toMatchObject({ status: 'COMPLETED', stopReason: 'MAX_QUESTIONS', itemsAnswered: 5 });
    expect(session.conceptProficiencies.map((c) => c.concept).sort()).toEqual(['GRAPHS', 'HASHING']);
    // The session's θ and standard error are those after its last answer.
    expect(session.proficiency.standardError).toBeCloseTo(session.responses.at(-1)?.standardErrorAfter ?? NaN, 10);
    expect(session.proficiency.theta).toBeCloseTo(session.responses.at(-1)?.thetaAfter ?? NaN, 10);

    const { viewer } = await server.query<{ viewer: { adaptiveTestSessions: { id: string }[] } }>(
      token,
      '{ viewer { adaptiveTestSessions { id } } }',
    );
    expect(viewer.adaptiveTestSessions.map((s) => s.id)).toContain(session.id);
    // Another student does not see it.
    const other = await server.logIn('student2@demo.test');
    const hidden = await server.query<{ node: unknown }>(other, 'query ($id: ID!) { node(id: $id) { id } }', {
      id: session.id,
    });
    expect(hidden.node).toBeNull();
    // Their instructor does, and the read is logged, as their other learning records are.
    const instructor = await server.logIn('instructor@demo.test');
    const logs = () =>
      server.database.prisma.accessLog.count({
        where: { viewer: { email: 'instructor@demo.test' }, subject: { email: 'student1@demo.test' } },
      });
    const before = await logs();
    const seen = await server.query<{ node: { status: string } | null }>(
      instructor,
      'query ($id: ID!) { node(id: $id) { ... on AdaptiveTestSession { status } } }',
      { id: session.id },
    );
    expect(seen.node?.status).toBe('COMPLETED');
    expect(await logs()).toBe(before + 1);
    // They see the answers of the questions their student answered, global as the pool is,
    // and not of the others.
    const answers = await server.query<{
      node: { responses: { question: { id: string; correctOption: string | null; explanation: string | null } }[] };
    }>(
      instructor,
      'query ($id: ID!) { node(id: $id) { ... on AdaptiveTestSession { responses { question { id correctOption explanation } } } } }',
      { id: session.id },
    );
    expect(answers.node.responses).toHaveLength(5);
    for (const { question } of answers.node.responses) {
      expect(question.correctOption).toMatch(/^[A-E]$/);
      expect(question.explanation).toBeTruthy();
    }
    const answeredIds = (
      await server.database.prisma.testResponse.findMany({
        where: { session: { pool: { slug: 'algorithms-foundations' } } },
        select: { questionId: true },
      })
    ).map((r) => r.questionId);
    const unanswered = await server.database.prisma.question.findFirstOrThrow({
      where: { pool: { slug: 'algorithms-foundations' }, id: { notIn: answeredIds } },
    });
    const elsewhere = await server.query<{ node: { correctOption: string | null } }>(
      instructor,
      'query ($id: ID!) { node(id: $id) { ... on Question { correctOption } } }',
      { id: globalId('Question', unanswered.id) },
    );
    expect(elsewhere.node.correctOption).toBeNull();
  });

  it('answers bad input, another choice and a finished test with typed results', async () => {
    const token = await server.logIn('student3@demo.test');
    const { questionPools } = await server.query<{ questionPools: { id: string }[] }>(
      token,
      '{ questionPools { id } }',
    );
    const start = (input: Record<string, unknown>) =>
      server.query<{ startAdaptiveTest: Result & { path?: string[] } }>(
        token,
        'mutation ($input: StartAdaptiveTestInput!) { startAdaptiveTest(input: $input) { __typename ... on AdaptiveTestSession { id nextQuestion { id options { key } } } ... on InvalidInput { path message } } }',
        { input },
      );
    const bad = await start({ poolId: questionPools[0]?.id, targetStandardError: 5 });
    expect(bad.startAdaptiveTest).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'targetStandardError'] });
    const wrongId = await start({ poolId: globalId('Attempt', '00000000-0000-7000-8000-000000000000') });
    expect(wrongId.startAdaptiveTest).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'poolId'] });

    const session = (await start({ poolId: questionPools[0]?.id, maxQuestions: 1 })).startAdaptiveTest;
    const questionId = session.nextQuestion?.id ?? '';
    const [first, second] = session.nextQuestion?.options.map((o) => o.key) ?? [];
    const answer = (choice: string | undefined, key: string) =>
      server.query<{ answerQuestion: { __typename: string; status?: string } }>(
        token,
        'mutation ($input: AnswerQuestionInput!) { answerQuestion(input: $input) { __typename ... on AdaptiveTestSession { status } } }',
        { input: { sessionId: session.id, questionId, choice, idempotencyKey: key } },
      );
    expect((await answer(first, 'one')).answerQuestion).toEqual({
      __typename: 'AdaptiveTestSession',
      status: 'COMPLETED',
    });
    expect((await answer(first, 'one')).answerQuestion).toEqual({
      __typename: 'AdaptiveTestSession',
      status: 'COMPLETED',
    });
    expect((await answer(second, 'two')).answerQuestion.__typename).toBe('Conflict');
  });
});
