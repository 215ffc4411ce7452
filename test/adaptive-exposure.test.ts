/**
 * Exposure control across sessions, through the service layer on the seeded pool: no question
 * is given to more than its share of the pool's sessions, the counts behind the rule stay
 * exact under concurrent sessions, and a pool's cached copy follows changes made elsewhere.
 */
import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';
import { exposureCap, MAX_EXPOSURE_RATE } from '../api/adaptive/engine.js';
import { createPoolCache } from '../api/adaptive/pools.js';
import type { Viewer } from '../api/auth/viewer.js';
import { loadViewer } from '../api/services/accounts.js';
import { answerQuestion, startAdaptiveTest } from '../api/services/adaptive.js';
import { addQuestions, retireQuestion } from '../api/services/question-pools.js';
import { seedDatabase } from '../prisma/seed/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { normal } from './support/irt.js';
import { createUser } from './support/rewards.js';

let database: TestDatabase;
let poolId = '';
const OPTIONS = { idleMinutes: 30, pools: createPoolCache() };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.prisma);
  poolId = (await database.prisma.questionPool.findFirstOrThrow({ where: { slug: 'algorithms-foundations' } })).id;
}, 120_000);

async function viewerOf(userId: string): Promise<Viewer> {
  const viewer = await loadViewer(database.prisma, { userId });
  if (!viewer) throw new Error('no viewer');
  return viewer;
}

/** One simulated examinee of ability θ taking a test of `length` questions, answering by the 2PL model. */
async function takeTest(theta: number, length: number, random: () => number): Promise<void> {
  const student = await viewerOf((await createUser(database.prisma)).id);
  let session = await startAdaptiveTest(
    database.prisma,
    student,
    { poolId, maxQuestions: length, targetStandardError: 0.05 },
    OPTIONS,
  );
  for (let i = 0; session.status === 'ACTIVE'; i += 1) {
    const question = await database.prisma.question.findUniqueOrThrow({
      where: { id: session.currentQuestionId ?? '' },
    });
    const right = random() < 1 / (1 + Math.exp(-question.discrimination * (theta - question.difficulty)));
    const keys = (question.options as { key: string }[]).map((option) => option.key);
    session = await answerQuestion(
      database.prisma,
      student,
      {
        sessionId: session.id,
        questionId: question.id,
        choice: right ? question.correctOption : (keys.find((key) => key !== question.correctOption) ?? ''),
        idempotencyKey: `q${i}`,
      },
      OPTIONS,
    );
  }
}

describe('exposure control', () => {
  it(`gives no question to more than ${MAX_EXPOSURE_RATE * 100}% of the sessions, counting exactly under concurrency`, async () => {
    const random = seedrandom('exposure');
    const sessions = 60;
    const length = 10;
    // Four examinees at a time: the counts behind the rule are written by concurrent sessions.
    for (let batch = 0; batch < sessions / 4; batch += 1) {
      await Promise.all(
        Array.from({ length: 4 }, () => {
          return takeTest(normal(random), length, random);
        }),
      );
    }
    const pool = await database.prisma.questionPool.findUniqueOrThrow({ where: { id: poolId } });
    expect(pool.sessionCount).toBe(sessions);
    const questions = await database.prisma.question.findMany({
      where: { poolId },
      select: { administered: true, _count: { select: { responses: true } } },
    });
    // Every session was given `length` questions and answered them all: the counts agree with the responses.
    for (const question of questions) expect(question.administered).toBe(question._count.responses);
    expect(questions.reduce((sum, question) => sum + question.administered, 0)).toBe(sessions * length);
    const highest = Math.max(...questions.map((question) => question.administered));
    expect(highest).toBeLessThanOrEqual(exposureCap(sessions));
    expect(highest / sessions).toBeLessThanOrEqual(MAX_EXPOSURE_RATE);
  }, 300_000);

  it('reads a pool again once another process changed its questions', async () => {
    const instructor = await database.prisma.user.findFirstOrThrow({
      where: { memberships: { some: { role: 'INSTRUCTOR' } } },
    });
    const organizationId = (
      await database.prisma.membership.findFirstOrThrow({ where: { userId: instructor.id, role: 'INSTRUCTOR' } })
    ).organizationId;
    const own = await database.prisma.questionPool.create({
      data: { scope: organizationId, slug: 'cache-check', name: 'Cache check', organizationId, concepts: ['HASHING'] },
    });
    const teacher = await viewerOf(instructor.id);
    const question = (key: string, difficulty: number) => ({
      key,
      stem: `Question ${key}`,
      options: [
        { key: 'A', text: 'yes' },
        { key: 'B', text: 'no' },
      ],
      correctOption: 'A',
      concepts: ['HASHING'],
      discrimination: 1.2,
      difficulty,
    });
    await addQuestions(database.prisma, teacher, { poolId: own.id, questions: [question('only', 0)] });
    const cache = createPoolCache();
    const first = await cache.load(database.prisma, own.id);
    // The cap the statement computes is the engine's.
    expect(first?.cap).toBe(exposureCap(first?.sessionCount ?? -1));
    expect([...(first?.pool.questions.values() ?? [])].map((q) => q.key)).toEqual(['only']);
    // Another process (here: the services without this cache) adds one and retires the first.
    await addQuestions(database.prisma, teacher, { poolId: own.id, questions: [question('second', 1)] });
    const added = await cache.load(database.prisma, own.id);
    expect(added?.pool.revision).toBe((first?.pool.revision ?? 0) + 1);
    expect([...(added?.pool.questions.values() ?? [])].map((q) => q.key).sort()).toEqual(['only', 'second']);
    const only = [...(added?.pool.questions.values() ?? [])].find((q) => q.key === 'only');
    await retireQuestion(database.prisma, teacher, only?.id ?? '');
    const retired = await cache.load(database.prisma, own.id);
    expect(retired?.pool.questions.get(only?.id ?? '')?.status).toBe('RETIRED');
    // Nothing changed: the same copy.
    expect((await cache.load(database.prisma, own.id))?.pool).toBe(retired?.pool);
  });
});
