/**
 * The demo activity a first `npm start` shows: the demo students have profiles, paths and
 * solves on earlier days, recorded as the worker records them (points, streaks, leaderboard
 * totals, topic progress), on accounts marked as demo; seeding again changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoActivity } from '../prisma/seed/demo-activity.js';
import { seedDatabase } from '../prisma/seed/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.prisma);
  await seedDemoActivity(database.prisma);
}, 180_000);

describe('demo activity', () => {
  it('gives the demo students points, a streak, a path with progress, and marks them as demo accounts', async () => {
    const student = await database.prisma.user.findUniqueOrThrow({
      where: { email: 'student1@demo.test' },
      include: { learningProfile: true },
    });
    expect(student.isDemo).toBe(true);
    expect(student.learningProfile).toMatchObject({ skillLevel: 'INTERMEDIATE', weeklyHours: 6 });
    expect(student.currentStreak).toBeGreaterThanOrEqual(6);
    const points = await database.prisma.pointsLedger.aggregate({
      where: { userId: student.id },
      _sum: { points: true },
    });
    expect(points._sum.points ?? 0).toBeGreaterThan(0);
    const days = await database.prisma.dailyActivity.count({ where: { userId: student.id } });
    expect(days).toBe(7);
    expect(await database.prisma.leaderboardTotal.count({ where: { userId: student.id } })).toBeGreaterThan(0);
    const curriculum = await database.prisma.curriculum.findFirstOrThrow({
      where: { userId: student.id, replacedAt: null },
      include: { topics: { include: { progress: true } } },
    });
    expect(curriculum.planner).toBe('BUILTIN');
    const hashing = curriculum.topics.find((t) => t.concept === 'HASHING');
    expect(hashing?.progress).toMatchObject({ completed: true, attempts: 2 });
    // Every demo student has a path, and the instructor's account is marked too.
    for (const email of ['student2@demo.test', 'student3@demo.test']) {
      const user = await database.prisma.user.findUniqueOrThrow({ where: { email } });
      expect(await database.prisma.curriculum.count({ where: { userId: user.id, replacedAt: null } })).toBe(1);
    }
    expect((await database.prisma.user.findUniqueOrThrow({ where: { email: 'instructor@demo.test' } })).isDemo).toBe(
      true,
    );
  });

  it('changes nothing when seeded again', async () => {
    const count = () =>
      Promise.all([
        database.prisma.pointsLedger.count(),
        database.prisma.submission.count(),
        database.prisma.curriculum.count(),
        database.prisma.dailyActivity.count(),
      ]);
    const before = await count();
    await seedDatabase(database.prisma);
    await seedDemoActivity(database.prisma);
    expect(await count()).toEqual(before);
  });
});
