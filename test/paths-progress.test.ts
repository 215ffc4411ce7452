/**
 * Progress along a learning path: an evaluation completes a topic and opens what waited for it
 * in the transaction that completes the run, exactly once under concurrency; the next step
 * follows (a prerequisite, the next topic, an easier exercise after three failures, a review
 * FSRS says is due); a placement test marks the assessment completed and seeds the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../api/auth/viewer.js';
import { createLookahead } from '../api/adaptive/lookahead.js';
import { createPoolCache } from '../api/adaptive/pools.js';
import { createBuiltinCurriculumPlanner } from '../api/paths/planner.js';
import type { WorkerDeps } from '../api/evaluation/deps.js';
import { complete } from '../api/evaluation/run-store.js';
import { createLogger } from '../api/logger.js';
import { openPubSub } from '../api/pubsub.js';
import { loadViewer } from '../api/services/accounts.js';
import { answerQuestion } from '../api/services/adaptive.js';
import {
  assignCurriculum,
  createCurriculumTemplate,
  generateCurriculum,
  nextStep,
  startPlacement,
} from '../api/services/paths.js';
import { seedDatabase } from '../prisma/seed/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { evaluated } from './support/rewards.js';

let database: TestDatabase;
let deps: WorkerDeps;
let closePubSub: () => Promise<void>;
const OPTIONS = { idleMinutes: 30, pools: createPoolCache(), lookahead: createLookahead() };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.prisma);
  const logger = createLogger('silent');
  const events = await openPubSub(undefined, logger);
  closePubSub = events.close;
  deps = { prisma: database.prisma, pubsub: events.pubsub, logger } as unknown as WorkerDeps;
}, 120_000);

afterAll(async () => {
  await OPTIONS.lookahead.close();
  await closePubSub();
});

async function viewerOf(email: string): Promise<Viewer> {
  const user = await database.prisma.user.findUniqueOrThrow({ where: { email } });
  const viewer = await loadViewer(database.prisma, { userId: user.id });
  if (!viewer) throw new Error('no viewer');
  return viewer;
}

/** A run of `slug` by the user, RUNNING under a lease, completed with `score` as the worker does. */
async function runOf(userId: string, slug: string, score: number) {
  const fixture = await evaluated(database.prisma, { userId, slug, at: new Date(), score });
  await database.prisma.evaluationRun.update({
    where: { id: fixture.run.id },
    data: { status: 'RUNNING', leaseOwner: 'worker', score: null },
  });
  return () =>
    complete(deps, {
      runId: fixture.run.id,
      workerId: 'worker',
      score,
      summary: {},
      evidencePassed: score >= 1 ? 1 : 0,
      evidenceTotal: 1,
    });
}

describe('progress along a path', () => {
  it('completes a topic and opens the next exactly once when two evaluations finish at once; the next step follows', async () => {
    const instructor = await viewerOf('instructor@demo.test');
    const student = await viewerOf('student1@demo.test');
    const cls = await database.prisma.class.findFirstOrThrow();
    const slugs = ['two-sum', 'valid-anagram', 'contains-duplicate'];
    const items = await database.prisma.contentItem.findMany({
      where: { pattern: 'HASHING' },
      orderBy: { rung: 'asc' },
    });
    expect(items.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = items;
    const topic = (key: string, prerequisites: string[], ids: string[]) => ({
      key,
      title: `Topic ${key}`,
      description: '',
      difficulty: 3,
      objectives: [],
      estimatedMinutes: 30,
      concept: 'HASHING',
      prerequisites,
      exercises: ids.map((contentItemId) => ({ contentItemId })),
    });
    const template = await createCurriculumTemplate(database.prisma, instructor, {
      classId: cls.id,
      title: 'Two steps',
      topics: [topic('a', [], [first?.id ?? '', second?.id ?? '']), topic('b', ['a'], [third?.id ?? ''])],
    });
    const [curriculum] = await assignCurriculum(database.prisma, instructor, {
      templateId: template.id,
      studentIds: [student.userId],
    });
    const topics = await database.prisma.curriculumTopic.findMany({
      where: { curriculumId: curriculum?.id },
      orderBy: { order: 'asc' },
      include: { progress: true },
    });
    const [a, b] = topics;
    expect(a?.progress?.unlockedAt).not.toBeNull();
    expect(b?.progress?.unlockedAt).toBeNull();
    expect(await nextStep(database.prisma, student.userId)).toMatchObject({
      kind: 'PREREQUISITE',
      topicId: a?.id,
      reason: '“Topic a” is a prerequisite of “Topic b”: completing it opens the way.',
    });

    // Three failures in a row on topic a: an easier exercise is suggested.
    for (let i = 0; i < 3; i += 1) await (await runOf(student.userId, second?.slug ?? slugs[1] ?? '', 0.25))();
    const stuck = await nextStep(database.prisma, student.userId);
    expect(stuck?.kind).toBe('EASIER');
    const easiest = await database.prisma.topicExercise.findUniqueOrThrow({ where: { id: stuck?.exerciseId ?? '' } });
    expect(easiest.contentItemId).toBe(first?.id);

    // Two passing evaluations of topic a's two exercises finish at once.
    const runs = [
      await runOf(student.userId, first?.slug ?? '', 1),
      await runOf(student.userId, second?.slug ?? '', 1),
    ];
    await Promise.all(runs.map((run) => run()));
    const after = await database.prisma.topicProgress.findMany({
      where: { topicId: { in: [a?.id ?? '', b?.id ?? ''] } },
    });
    const progressA = after.find((p) => p.topicId === a?.id);
    const progressB = after.find((p) => p.topicId === b?.id);
    expect(progressA).toMatchObject({ attempts: 5, consecutiveFailures: 0, bestScore: 1, completed: true });
    expect(progressA?.reviewDueAt?.getTime()).toBeGreaterThan(Date.now() + 12 * 3_600_000);
    expect(progressB?.unlockedAt).not.toBeNull();
    // Once: the completion and the unlock kept the first writer's time.
    const again = await runOf(student.userId, first?.slug ?? '', 1);
    await again();
    const later = await database.prisma.topicProgress.findMany({
      where: { topicId: { in: [a?.id ?? '', b?.id ?? ''] } },
    });
    expect(later.find((p) => p.topicId === a?.id)?.completedAt).toEqual(progressA?.completedAt);
    expect(later.find((p) => p.topicId === b?.id)?.unlockedAt).toEqual(progressB?.unlockedAt);
    expect(await nextStep(database.prisma, student.userId)).toMatchObject({ kind: 'CONTINUE', topicId: b?.id });

    // A review falls due: it comes first.
    const due = new Date(Date.now() - 60_000);
    await database.prisma.topicProgress.update({ where: { topicId: a?.id }, data: { reviewDueAt: due } });
    expect(await nextStep(database.prisma, student.userId)).toMatchObject({
      kind: 'REVIEW',
      topicId: a?.id,
      dueAt: due,
    });

    // Topic b completed: the curriculum is COMPLETED; nothing is left but reviews.
    await (
      await runOf(student.userId, third?.slug ?? '', 1)
    )();
    const done = await database.prisma.curriculum.findUniqueOrThrow({ where: { id: curriculum?.id ?? '' } });
    expect(done.status).toBe('COMPLETED');
  });

  it('takes a placement test to its end: the assessment is completed and the plan starts from what it measured', async () => {
    const student = await viewerOf('student2@demo.test');
    let session = await startPlacement(database.prisma, student, OPTIONS);
    // Started twice while it runs: the same test.
    expect((await startPlacement(database.prisma, student, OPTIONS)).id).toBe(session.id);
    for (let i = 0; session.status === 'ACTIVE'; i += 1) {
      const question = await database.prisma.question.findUniqueOrThrow({
        where: { id: session.currentQuestionId ?? '' },
      });
      // Strong in everything but graphs.
      const right = !question.concepts.includes('GRAPHS');
      const keys = (question.options as { key: string }[]).map((o) => o.key);
      session = await answerQuestion(
        database.prisma,
        student,
        {
          sessionId: session.id,
          questionId: question.id,
          choice: right ? question.correctOption : (keys.find((k) => k !== question.correctOption) ?? ''),
          idempotencyKey: `p${i}`,
        },
        OPTIONS,
      );
    }
    const profile = await database.prisma.learningProfile.findUniqueOrThrow({ where: { userId: student.userId } });
    expect(profile).toMatchObject({ assessmentCompleted: true, placementSessionId: session.id });
    const curriculum = await generateCurriculum(
      database.prisma,
      student,
      { weeklyHours: 10 },
      createBuiltinCurriculumPlanner(),
    );
    const topics = await database.prisma.curriculumTopic.findMany({ where: { curriculumId: curriculum.id } });
    expect(topics.map((t) => t.concept)).toContain('GRAPHS');
    expect(topics.map((t) => t.concept)).not.toContain('HASHING');
  });
});
