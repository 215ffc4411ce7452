/**
 * Adaptive test sessions through the service layer, on the seeded global pool: starting,
 * answering to the end, exactly once under concurrency, idempotency, expiry, and a stored θ
 * that jsCAT gives again from the stored responses.
 */
import { Cat } from '@bdelab/jscat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../api/auth/viewer.js';
import { ConflictError, ExpiredError, ForbiddenError, InvalidInputError, NotFoundError } from '../api/errors.js';
import { loadViewer } from '../api/services/accounts.js';
import { createLookahead } from '../api/adaptive/lookahead.js';
import { createPoolCache } from '../api/adaptive/pools.js';
import { answerQuestion, sessionConceptEstimates, startAdaptiveTest } from '../api/services/adaptive.js';
import { Prisma } from '../api/generated/prisma/client.js';
import { seedDatabase } from '../prisma/seed/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createUser } from './support/rewards.js';

let database: TestDatabase;
let poolId = '';
// With a lookahead, as the server answers (test/adaptive-lookahead.test.ts covers answers without one).
const OPTIONS = { idleMinutes: 30, pools: createPoolCache(), lookahead: createLookahead() };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.prisma);
  poolId = (await database.prisma.questionPool.findFirstOrThrow({ where: { slug: 'algorithms-foundations' } })).id;
}, 120_000);

afterAll(() => OPTIONS.lookahead.close());

/** A new student, as the services see them. */
async function newStudent(): Promise<Viewer> {
  const user = await createUser(database.prisma);
  const viewer = await loadViewer(database.prisma, { userId: user.id });
  if (!viewer) throw new Error('no viewer');
  return viewer;
}

/** The current question's correct option, or a wrong one. */
async function choiceFor(questionId: string, right: boolean): Promise<string> {
  const question = await database.prisma.question.findUniqueOrThrow({ where: { id: questionId } });
  if (right) return question.correctOption;
  const keys = (question.options as { key: string }[]).map((option) => option.key);
  return keys.find((key) => key !== question.correctOption) ?? '';
}

describe('adaptive test sessions', () => {
  it('refuses a signed-out viewer, a bad limit, a concept not in the pool and an unknown pool, naming what is wrong', async () => {
    const student = await newStudent();
    await expect(startAdaptiveTest(database.prisma, null, { poolId }, OPTIONS)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      startAdaptiveTest(database.prisma, student, { poolId, maxQuestions: 0 }, OPTIONS),
    ).rejects.toMatchObject({ issues: [{ path: ['input', 'maxQuestions'] }] });
    await expect(
      startAdaptiveTest(database.prisma, student, { poolId, concepts: ['HASHING', 'ASTROLOGY'] }, OPTIONS),
    ).rejects.toThrow(/input\.concepts: not concepts of this pool: ASTROLOGY/);
    await expect(
      startAdaptiveTest(database.prisma, student, { poolId: '00000000-0000-7000-8000-000000000000' }, OPTIONS),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('asks until the question limit, then completes with θ per concept stored as proficiency', async () => {
    const student = await newStudent();
    let session = await startAdaptiveTest(
      database.prisma,
      student,
      { poolId, maxQuestions: 8, targetStandardError: 0.05, concepts: ['HASHING', 'GRAPHS'] },
      OPTIONS,
    );
    expect(session).toMatchObject({ status: 'ACTIVE', theta: 0, standardError: 1 });
    for (let i = 0; session.status === 'ACTIVE'; i += 1) {
      const questionId = session.currentQuestionId ?? '';
      const question = await database.prisma.question.findUniqueOrThrow({ where: { id: questionId } });
      expect(question.concepts.some((c) => ['HASHING', 'GRAPHS'].includes(c))).toBe(true);
      session = await answerQuestion(
        database.prisma,
        student,
        {
          sessionId: session.id,
          questionId,
          choice: await choiceFor(questionId, i % 4 !== 3),
          idempotencyKey: `a${i}`,
        },
        OPTIONS,
      );
    }
    expect(session).toMatchObject({ status: 'COMPLETED', stopReason: 'MAX_QUESTIONS', currentQuestionId: null });
    const responses = await database.prisma.testResponse.findMany({
      where: { sessionId: session.id },
      orderBy: { position: 'asc' },
      include: { question: true },
    });
    expect(responses.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(responses.at(-1)?.thetaAfter).toBeCloseTo(session.theta, 10);
    // The stored θ is jsCAT's, from the stored responses.
    const cat = new Cat({ method: 'EAP', priorDist: 'norm', priorPar: [0, 1], minTheta: -6, maxTheta: 6 });
    cat.updateAbilityEstimate(
      responses.map((r) => ({ a: r.question.discrimination, b: r.question.difficulty, c: r.question.guessing, d: 1 })),
      responses.map((r) => (r.correct ? 1 : 0)),
    );
    expect(Math.abs(cat.theta - session.theta)).toBeLessThan(0.01);
    const proficiency = await database.prisma.conceptProficiency.findMany({ where: { userId: student.userId } });
    expect(proficiency.map((p) => p.concept).sort()).toEqual(['GRAPHS', 'HASHING']);
    expect(proficiency.reduce((sum, p) => sum + p.responses, 0)).toBeGreaterThanOrEqual(8);
    // Each concept's θ, kept answer by answer, is jsCAT's from that concept's responses alone.
    for (const concept of ['GRAPHS', 'HASHING']) {
      const own = responses.filter((r) => r.question.concepts.includes(concept));
      const perConcept = new Cat({ method: 'EAP', priorDist: 'norm', priorPar: [0, 1], minTheta: -6, maxTheta: 6 });
      perConcept.updateAbilityEstimate(
        own.map((r) => ({ a: r.question.discrimination, b: r.question.difficulty, c: r.question.guessing, d: 1 })),
        own.map((r) => (r.correct ? 1 : 0)),
      );
      const stored = proficiency.find((p) => p.concept === concept);
      expect(stored?.responses).toBe(own.length);
      expect(Math.abs((stored?.theta ?? NaN) - perConcept.theta)).toBeLessThan(1e-9);
    }
    const kept = await sessionConceptEstimates(database.prisma, session);
    // In the order the session names its concepts.
    expect(kept.map((e) => e.concept)).toEqual(['HASHING', 'GRAPHS']);
    for (const estimate of kept) {
      const stored = proficiency.find((p) => p.concept === estimate.concept);
      expect([estimate.theta, estimate.responses]).toEqual([stored?.theta, stored?.responses]);
    }
    // A session stored before the estimates were kept has them rebuilt from its responses.
    const unkept = await database.prisma.adaptiveTestSession.update({
      where: { id: session.id },
      data: { conceptEstimates: Prisma.DbNull },
    });
    expect(await sessionConceptEstimates(database.prisma, unkept)).toEqual(kept);
  });

  it('stores one response however many concurrent answers arrive, and answers a retry as the first', async () => {
    const student = await newStudent();
    const session = await startAdaptiveTest(database.prisma, student, { poolId }, OPTIONS);
    const questionId = session.currentQuestionId ?? '';
    const right = await choiceFor(questionId, true);
    const wrong = await choiceFor(questionId, false);
    const answer = (choice: string, key: string) =>
      answerQuestion(
        database.prisma,
        student,
        { sessionId: session.id, questionId, choice, idempotencyKey: key },
        OPTIONS,
      );
    const results = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => answer(right, 'same-key')),
      answer(right, 'other-key'),
      answer(wrong, 'third-key'),
    ]);
    const stored = await database.prisma.testResponse.findMany({ where: { sessionId: session.id } });
    expect(stored).toHaveLength(1);
    const after = await database.prisma.adaptiveTestSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(after.version).toBe(1);
    const fulfilled = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    // The right answers all see the one update; the other choice for the answered question is a Conflict.
    for (const value of fulfilled) expect(value.theta).toBeCloseTo(after.theta, 10);
    expect(stored[0]?.choice).toBe(right);
    expect(rejected.every((reason) => reason instanceof ConflictError)).toBe(true);
    expect(rejected).toHaveLength(1);

    await expect(answer(wrong, 'same-key')).rejects.toBeInstanceOf(ConflictError);
    const next = after.currentQuestionId ?? '';
    await expect(
      answerQuestion(
        database.prisma,
        student,
        { sessionId: session.id, questionId, choice: right, idempotencyKey: 'not-current' },
        OPTIONS,
      ),
    ).resolves.toMatchObject({ id: session.id });
    const other = await database.prisma.question.findFirstOrThrow({
      where: { poolId, id: { notIn: [questionId, next] } },
    });
    await expect(
      answerQuestion(
        database.prisma,
        student,
        { sessionId: session.id, questionId: other.id, choice: 'A', idempotencyKey: 'elsewhere' },
        OPTIONS,
      ),
    ).rejects.toThrow(/input\.questionId: is not the question the test is asking now/);
  });

  it('expires a session left idle, keeping its responses, and says so to the next answer', async () => {
    const student = await newStudent();
    const session = await startAdaptiveTest(database.prisma, student, { poolId }, OPTIONS);
    const first = session.currentQuestionId ?? '';
    const answered = await answerQuestion(
      database.prisma,
      student,
      { sessionId: session.id, questionId: first, choice: await choiceFor(first, true), idempotencyKey: 'k1' },
      OPTIONS,
    );
    await database.prisma.adaptiveTestSession.update({
      where: { id: session.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const current = answered.currentQuestionId ?? '';
    await expect(
      answerQuestion(
        database.prisma,
        student,
        { sessionId: session.id, questionId: current, choice: await choiceFor(current, true), idempotencyKey: 'k2' },
        OPTIONS,
      ),
    ).rejects.toBeInstanceOf(ExpiredError);
    const expired = await database.prisma.adaptiveTestSession.findUniqueOrThrow({
      where: { id: session.id },
      include: { responses: true },
    });
    expect(expired).toMatchObject({ status: 'EXPIRED', stopReason: 'EXPIRED', currentQuestionId: null });
    expect(expired.responses).toHaveLength(1);
  });

  it('keeps each student to their own sessions', async () => {
    const [owner, other] = [await newStudent(), await newStudent()];
    const session = await startAdaptiveTest(database.prisma, owner, { poolId }, OPTIONS);
    await expect(
      answerQuestion(
        database.prisma,
        other,
        { sessionId: session.id, questionId: session.currentQuestionId ?? '', choice: 'A', idempotencyKey: 'x' },
        OPTIONS,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      answerQuestion(
        database.prisma,
        owner,
        { sessionId: session.id, questionId: session.currentQuestionId ?? '', choice: 'Z', idempotencyKey: 'y' },
        OPTIONS,
      ),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});
