/**
 * The lookahead: both outcomes of answering a session's current question, worked out on a
 * thread while the question is read. The thread's outcomes are the request path's, an answer
 * takes its own, and one that finds none (the pool changed) is worked out as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../api/auth/viewer.js';
import { conceptEstimates, engineItem, estimate, type EngineItem } from '../api/adaptive/engine.js';
import { type AheadTask, createLookahead, type Lookahead, workOut } from '../api/adaptive/lookahead.js';
import { createPoolCache } from '../api/adaptive/pools.js';
import { loadViewer } from '../api/services/accounts.js';
import { answerQuestion, startAdaptiveTest } from '../api/services/adaptive.js';
import { seedDatabase } from '../prisma/seed/index.js';
import { QUESTION_POOLS } from '../prisma/seed/questions/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createUser } from './support/rewards.js';

const items: EngineItem[] = (QUESTION_POOLS[0]?.questions ?? []).slice(0, 12).map((question) => ({
  id: question.key,
  a: question.discrimination,
  b: question.difficulty,
  c: question.guessing ?? 0,
  concepts: question.concepts,
}));

const task = (answered: number): AheadTask => ({
  items: items.slice(0, answered + 1),
  responses: items.slice(0, answered).map((item, i) => ({ itemId: item.id, correct: i % 3 !== 1 })),
  next: items[answered]?.id ?? '',
  settings: { estimator: 'EAP', maxQuestions: 20, targetStandardError: 0.3, exposureTopK: 5, concepts: [] },
  kept: null,
});

describe('the lookahead thread', () => {
  it('works out both answers as the request path would, each taken once, and none it was not asked for', async () => {
    const lookahead = createLookahead();
    try {
      expect(await lookahead.ready()).toBe(true);
      lookahead.prepare('five', task(5));
      lookahead.prepare('eleven', task(11));
      const expected = workOut(task(5));
      expect(expected.right.estimate.theta).toBeGreaterThan(expected.wrong.estimate.theta);
      expect(await lookahead.take('five', true)).toEqual(expected.right);
      expect(await lookahead.take('five', false)).toBeUndefined();
      expect(await lookahead.take('eleven', false)).toEqual(workOut(task(11)).wrong);
      expect(await lookahead.take('never prepared', true)).toBeUndefined();
    } finally {
      await lookahead.close();
    }
  });

  it('is not waited for while its thread is loading', async () => {
    const lookahead = createLookahead();
    try {
      lookahead.prepare('early', task(3));
      expect(await lookahead.take('early', true)).toBeUndefined();
      expect(await lookahead.ready()).toBe(true);
      lookahead.prepare('later', task(3));
      expect(await lookahead.take('later', true)).toEqual(workOut(task(3)).right);
    } finally {
      await lookahead.close();
    }
  });

  it('keeps at most its capacity, the oldest dropped first, and gives nothing once closed', async () => {
    const lookahead = createLookahead({ capacity: 2 });
    expect(await lookahead.ready()).toBe(true);
    lookahead.prepare('one', task(1));
    lookahead.prepare('two', task(2));
    lookahead.prepare('three', task(3));
    expect(await lookahead.take('one', true)).toBeUndefined();
    expect(await lookahead.take('three', true)).toEqual(workOut(task(3)).right);
    lookahead.prepare('four', task(4));
    await lookahead.close();
    expect(await lookahead.take('two', true)).toBeUndefined();
    expect(await lookahead.take('four', true)).toBeUndefined();
  });
});

describe('answers with a lookahead', () => {
  let database: TestDatabase;
  let poolId = '';
  let student: Viewer;
  let lookahead: Lookahead;
  const taken: boolean[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDatabase(database.prisma);
    poolId = (await database.prisma.questionPool.findFirstOrThrow({ where: { slug: 'algorithms-foundations' } })).id;
    const user = await createUser(database.prisma);
    const viewer = await loadViewer(database.prisma, { userId: user.id });
    if (!viewer) throw new Error('no viewer');
    student = viewer;
    // Counts which answers found their outcome worked out.
    const thread = createLookahead();
    lookahead = {
      prepare: (key, work) => thread.prepare(key, work),
      take: async (key, correct) => {
        const outcome = await thread.take(key, correct);
        taken.push(outcome !== undefined);
        return outcome;
      },
      ready: () => thread.ready(),
      close: () => thread.close(),
    };
    await lookahead.ready();
  }, 120_000);

  afterAll(() => lookahead.close());

  it("takes each answer's outcome from the thread; one after the pool changed is worked out, and both are jsCAT's", async () => {
    const options = { idleMinutes: 30, pools: createPoolCache(), lookahead };
    let session = await startAdaptiveTest(
      database.prisma,
      student,
      { poolId, maxQuestions: 8, targetStandardError: 0.05 },
      options,
    );
    for (let i = 0; session.status === 'ACTIVE'; i += 1) {
      const question = await database.prisma.question.findUniqueOrThrow({
        where: { id: session.currentQuestionId ?? '' },
      });
      if (i === 4) {
        // The pool changes (as accepting a calibration or retiring a question bumps its revision):
        // the outcome prepared before it is not used.
        await database.prisma.questionPool.update({ where: { id: poolId }, data: { revision: { increment: 1 } } });
      }
      const keys = (question.options as { key: string }[]).map((option) => option.key);
      const right = i % 3 !== 2;
      session = await answerQuestion(
        database.prisma,
        student,
        {
          sessionId: session.id,
          questionId: question.id,
          choice: right ? question.correctOption : (keys.find((key) => key !== question.correctOption) ?? ''),
          idempotencyKey: `l${i}`,
        },
        options,
      );
    }
    expect(session).toMatchObject({ status: 'COMPLETED', stopReason: 'MAX_QUESTIONS' });
    expect(taken).toEqual([true, true, true, true, false, true, true, true]);
    const responses = await database.prisma.testResponse.findMany({
      where: { sessionId: session.id },
      orderBy: { position: 'asc' },
      include: { question: true },
    });
    const byId = new Map(responses.map((r) => [r.questionId, engineItem(r.question)]));
    const answered = responses.map((r) => ({ itemId: r.questionId, correct: r.correct }));
    for (const [i, response] of responses.entries()) {
      const now = estimate(byId, answered.slice(0, i + 1), 'EAP');
      expect([response.thetaAfter, response.standardErrorAfter]).toEqual([now.theta, now.standardError]);
    }
    const concepts = [...new Set(responses.flatMap((r) => r.question.concepts))].sort();
    expect(session.conceptEstimates).toEqual(conceptEstimates(byId, answered, 'EAP', concepts));
  });
});
