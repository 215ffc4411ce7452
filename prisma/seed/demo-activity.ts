/**
 * Demo activity, so that a first `npm start` is not empty: the demo students' learning
 * profiles and paths, and solves on earlier days, recorded as the evaluation worker records
 * them (points in the ledger, the days' activity and streaks, leaderboards, mastery, topic
 * progress). The accounts are marked `User.isDemo`: their past is made up. Idempotent: a
 * student who has points already is left as they are. Not part of `seedDatabase`, which the
 * tests use: it runs with `npm start` on an empty database and with `npm run db:seed`.
 */
import type { PrismaClient } from '../../api/db.js';
import { withConflictRetry } from '../../api/db/conflicts.js';
import type { LearningStyle, SkillLevel } from '../../api/generated/prisma/enums.js';
import { recordItemOutcome } from '../../api/paths/progress.js';
import { createBuiltinCurriculumPlanner } from '../../api/paths/planner.js';
import { recordOutcome } from '../../api/rewards/outcome.js';
import { loadViewer } from '../../api/services/accounts.js';
import { generateCurriculum, updateLearningProfile } from '../../api/services/paths.js';
import { EVALUATION_KIND } from '../../api/services/practice.js';

interface DemoStudent {
  email: string;
  profile: { skillLevel: SkillLevel; learningStyle: LearningStyle; goals: string[]; weeklyHours: number };
  /** Item slug, days ago, score. */
  solves: [string, number, number][];
}

const DEMO_STUDENTS: DemoStudent[] = [
  {
    email: 'student1@demo.test',
    profile: {
      skillLevel: 'INTERMEDIATE',
      learningStyle: 'HANDS_ON',
      goals: ['Pass a coding interview'],
      weeklyHours: 6,
    },
    solves: [
      ['two-sum', 6, 1],
      ['valid-palindrome', 5, 1],
      ['group-anagrams', 4, 1],
      ['container-with-most-water', 3, 0.5],
      ['container-with-most-water', 2, 1],
      ['valid-parentheses', 1, 1],
      ['max-sum-subarray-of-size-k', 0, 1],
    ],
  },
  {
    email: 'student2@demo.test',
    profile: { skillLevel: 'BEGINNER', learningStyle: 'READING', goals: ['Learn the basics'], weeklyHours: 3 },
    solves: [
      ['two-sum', 3, 0.5],
      ['two-sum', 2, 1],
      ['binary-search', 1, 1],
    ],
  },
  {
    email: 'student3@demo.test',
    profile: {
      skillLevel: 'ADVANCED',
      learningStyle: 'MIXED',
      goals: ['Get faster at medium problems'],
      weeklyHours: 4,
    },
    solves: [['group-anagrams', 0, 1]],
  },
];

/** Seeds the demo activity (see above); `log` receives progress lines. */
export async function seedDemoActivity(prisma: PrismaClient, log: (line: string) => void = () => {}): Promise<void> {
  const planner = createBuiltinCurriculumPlanner();
  for (const demo of DEMO_STUDENTS) {
    const user = await prisma.user.findUnique({ where: { email: demo.email } });
    if (!user || (await prisma.pointsLedger.count({ where: { userId: user.id } })) > 0) continue;
    const viewer = await loadViewer(prisma, { userId: user.id });
    if (!viewer) continue;
    await updateLearningProfile(prisma, viewer, demo.profile);
    await generateCurriculum(prisma, viewer, { idempotencyKey: 'demo-path' }, planner);
    for (const [i, [slug, daysAgo, score]] of demo.solves.entries()) {
      const item = await prisma.contentItem.findUnique({ where: { scope_slug: { scope: 'global', slug } } });
      if (!item?.currentVersionId) continue;
      const at = new Date(Date.now() - daysAgo * 86_400_000 - 3_600_000);
      const attempt = await prisma.attempt.create({
        data: {
          userId: user.id,
          contentItemId: item.id,
          contentVersionId: item.currentVersionId,
          startedAt: new Date(at.getTime() - 25 * 60_000),
          status: score >= 1 ? 'COMPLETED' : 'ACTIVE',
          completedAt: score >= 1 ? at : null,
        },
      });
      const submission = await prisma.submission.create({
        data: {
          attemptId: attempt.id,
          userId: user.id,
          language: 'JAVASCRIPT',
          code: '// Demo activity: made up by the seed.',
          idempotencyKey: `demo-${i}`,
          payloadHash: `demo-${user.id}-${i}`,
          createdAt: at,
        },
      });
      const kind = EVALUATION_KIND[item.track];
      const run = await prisma.evaluationRun.create({
        data: {
          submissionId: submission.id,
          attemptId: attempt.id,
          kind,
          status: 'SUCCEEDED',
          score,
          summary: { demo: true },
          queuedAt: at,
          startedAt: at,
          finishedAt: at,
        },
      });
      await withConflictRetry(prisma, async (tx) => {
        const rewards = await recordOutcome(tx, {
          runId: run.id,
          kind,
          submissionId: submission.id,
          score,
          evidencePassed: score >= 1 ? 1 : 0,
          evidenceTotal: 1,
          at,
        });
        await recordItemOutcome(tx, item.id, {
          userId: user.id,
          score,
          passed: rewards.passed,
          timeSpentSeconds: rewards.timeSpentSeconds,
          at,
        });
      });
    }
    log(
      `demo activity: ${demo.email}, ${demo.solves.length} evaluated submissions over ${Math.max(...demo.solves.map((s) => s[1])) + 1} days`,
    );
  }
}
