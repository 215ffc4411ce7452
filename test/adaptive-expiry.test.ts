/**
 * Expiry of idle adaptive tests by the scheduled `expire-adaptive-sessions` job: a session past
 * its expiry ends EXPIRED with its responses kept, one still within it stays ACTIVE, and
 * answering an expired session is a typed Expired however it came to be expired.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPIRY_SWEEP_CRON, EXPIRY_SWEEP_QUEUE } from '../api/evaluation/jobs.js';
import { expireIdleSessions } from '../api/services/adaptive.js';
import { actingAs, globalId, rawId, startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const tokens: Record<string, string> = {};
const as = actingAs(() => ({ server, tokens }));
let poolId = '';

beforeAll(async () => {
  // In-process workers, so the sweep's worker runs in the server as it does by default.
  server = await startTestServer({ env: { EVAL_CONCURRENCY: '1' } });
  tokens.student = await server.logIn('student1@demo.test');
  const pool = await server.database.prisma.questionPool.findFirstOrThrow({
    where: { slug: 'algorithms-foundations' },
  });
  poolId = globalId('QuestionPool', pool.id);
});

const SESSION = `id status stopReason completedAt nextQuestion { id } responses { choice }`;
interface Session {
  __typename: string;
  id: string;
  status: string;
  stopReason: string | null;
  completedAt: string | null;
  nextQuestion: { id: string } | null;
  responses: { choice: string }[];
}

/** A session of the student's with one answer given; `idle`: its expiry already passed. */
async function sessionWithAnswer(idle: boolean): Promise<Session> {
  const started = await as<{ startAdaptiveTest: Session }>(
    'student',
    `mutation ($input: StartAdaptiveTestInput!) { startAdaptiveTest(input: $input) { __typename ... on AdaptiveTestSession { ${SESSION} } } }`,
    { input: { poolId } },
  );
  const session = started.startAdaptiveTest;
  const answered = await answer(session.id, session.nextQuestion?.id ?? '', 'first');
  expect(answered).toMatchObject({ __typename: 'AdaptiveTestSession', status: 'ACTIVE' });
  if (idle) {
    await server.database.prisma.adaptiveTestSession.update({
      where: { id: rawId(session.id) },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
  }
  return answered;
}

async function answer(sessionId: string, questionId: string, idempotencyKey: string): Promise<Session> {
  const result = await as<{ answerQuestion: Session }>(
    'student',
    `mutation ($input: AnswerQuestionInput!) { answerQuestion(input: $input) {
      __typename ... on AdaptiveTestSession { ${SESSION} } ... on Error { message } } }`,
    { input: { sessionId, questionId, choice: 'A', idempotencyKey } },
  );
  return result.answerQuestion;
}

/** The session as stored (not as read, which already shows an idle one EXPIRED). */
const storedSession = (id: string) =>
  server.database.prisma.adaptiveTestSession.findUniqueOrThrow({
    where: { id: rawId(id) },
    include: { responses: true },
  });

async function storedUntil(id: string, status: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const session = await storedSession(id);
    if (session.status === status) return session;
    if (Date.now() > deadline) throw new Error(`session ${id} still ${session.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('expiring idle adaptive tests', () => {
  it('is scheduled every minute', async () => {
    expect(await server.app.runtime.jobs.schedules()).toContainEqual({
      queue: EXPIRY_SWEEP_QUEUE,
      cron: EXPIRY_SWEEP_CRON,
    });
    expect(EXPIRY_SWEEP_CRON).toBe('* * * * *');
  });

  it('ends, once its job runs, the sessions past their expiry, keeping their responses, and no other', async () => {
    const idle = await sessionWithAnswer(true);
    const busy = await sessionWithAnswer(false);
    expect((await storedSession(idle.id)).status).toBe('ACTIVE');

    await server.app.runtime.jobs.sweepExpiredNow();
    const expired = await storedUntil(idle.id, 'EXPIRED');
    expect(expired).toMatchObject({ stopReason: 'EXPIRED', currentQuestionId: null });
    expect(expired.completedAt).toBeInstanceOf(Date);
    expect(expired.responses).toHaveLength(1);
    const still = await storedSession(busy.id);
    expect(still).toMatchObject({ status: 'ACTIVE', completedAt: null });
    expect(still.currentQuestionId).not.toBeNull();

    // The next answer is told it expired, as it is when the answer itself finds the session idle.
    const late = await answer(idle.id, idle.nextQuestion?.id ?? '', 'late');
    expect(late.__typename).toBe('Expired');
    const read = await as<{ node: Session }>(
      'student',
      `query ($id: ID!) { node(id: $id) { ... on AdaptiveTestSession { ${SESSION} } } }`,
      {
        id: idle.id,
      },
    );
    expect(read.node).toMatchObject({ status: 'EXPIRED', stopReason: 'EXPIRED', nextQuestion: null });
    expect(read.node.responses).toHaveLength(1);
  });

  it('sweeps in one call what expireIfIdle would end one by one, and nothing twice', async () => {
    const idle = [await sessionWithAnswer(true), await sessionWithAnswer(true)];
    const busy = await sessionWithAnswer(false);
    const now = new Date();
    expect(await expireIdleSessions(server.database.prisma, now)).toBeGreaterThanOrEqual(2);
    for (const session of idle) {
      const stored = await storedSession(session.id);
      expect(stored).toMatchObject({ status: 'EXPIRED', stopReason: 'EXPIRED', currentQuestionId: null });
      expect(stored.completedAt).toEqual(now);
      expect(stored.responses).toHaveLength(1);
    }
    expect((await storedSession(busy.id)).status).toBe('ACTIVE');
    // Swept already: a second sweep leaves them (and their completedAt) alone.
    await expireIdleSessions(server.database.prisma, new Date(now.getTime() + 1_000));
    expect((await storedSession(idle[0]?.id ?? '')).completedAt).toEqual(now);
  });
});
