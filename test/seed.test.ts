/** The demo data: what a fresh install offers, and that seeding twice changes nothing. */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../api/auth/passwords.js';
import { DEMO_PASSWORD, seedDatabase } from '../prisma/seed/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let database: TestDatabase;
// Seeded once here, so each test stands on its own (the last one seeds again).
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.prisma);
});

/** Every row of the seeded tables, to compare before and after a second run. */
async function snapshot(db: TestDatabase) {
  const { prisma } = db;
  return {
    organizations: await prisma.organization.findMany({ orderBy: { id: 'asc' } }),
    users: await prisma.user.findMany({ orderBy: { id: 'asc' } }),
    memberships: await prisma.membership.findMany({ orderBy: { id: 'asc' } }),
    classes: await prisma.class.findMany({ orderBy: { id: 'asc' } }),
    enrollments: await prisma.enrollment.findMany({ orderBy: { id: 'asc' } }),
    badges: await prisma.badge.findMany({ orderBy: { id: 'asc' } }),
    items: await prisma.contentItem.findMany({ orderBy: { id: 'asc' } }),
    versions: await prisma.contentVersion.findMany({ orderBy: { id: 'asc' } }),
    questionPools: await prisma.questionPool.findMany({ orderBy: { id: 'asc' } }),
    questions: await prisma.question.findMany({ orderBy: { id: 'asc' } }),
  };
}

describe('seed', () => {
  it('offers a global question pool for adaptive tests, each question with its options and parameters', async () => {
    const pool = await database.prisma.questionPool.findUniqueOrThrow({
      where: { scope_slug: { scope: 'global', slug: 'algorithms-foundations' } },
      include: { questions: true },
    });
    expect(pool.organizationId).toBeNull();
    expect(pool.questions.length).toBeGreaterThanOrEqual(150);
    expect(new Set(pool.questions.flatMap((q) => q.concepts))).toEqual(new Set(pool.concepts));
    for (const question of pool.questions) {
      const options = question.options as { key: string; text: string }[];
      expect(options.map((o) => o.key)).toContain(question.correctOption);
      expect(question.discrimination).toBeGreaterThan(0);
      expect(question.status).toBe('ACTIVE');
    }
  });

  it('creates Demo University with a class, an instructor and three students who can sign in', async () => {
    const organization = await database.prisma.organization.findUniqueOrThrow({
      where: { slug: 'demo-university' },
      include: { classes: { include: { enrollments: { include: { user: true } } } }, memberships: true },
    });
    expect(organization.name).toBe('Demo University');
    expect(organization.classes).toHaveLength(1);
    const enrolled = organization.classes[0]?.enrollments ?? [];
    expect(enrolled.map((e) => [e.user.email, e.role]).sort()).toEqual([
      ['instructor@demo.test', 'INSTRUCTOR'],
      ['student1@demo.test', 'STUDENT'],
      ['student2@demo.test', 'STUDENT'],
      ['student3@demo.test', 'STUDENT'],
    ]);
    expect(organization.memberships.map((m) => m.role).sort()).toEqual(['INSTRUCTOR', 'STUDENT', 'STUDENT', 'STUDENT']);
    for (const { user } of enrolled) {
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash ?? '')).toBe(true);
      expect(await verifyPassword('wrong', user.passwordHash ?? '')).toBe(false);
    }
  });

  it('publishes the catalog: 18+ problems over 6+ patterns and 3 rungs, 3+ debug labs, 2+ design prompts', async () => {
    const items = await database.prisma.contentItem.findMany({ include: { currentVersion: true } });
    const coding = items.filter((item) => item.track === 'CODING_INTERVIEW');
    expect(coding.length).toBeGreaterThanOrEqual(18);
    expect(new Set(coding.map((item) => item.pattern)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(coding.map((item) => item.rung))).toEqual(new Set([1, 2, 3]));
    expect(items.filter((item) => item.track === 'DEBUG_LAB').length).toBeGreaterThanOrEqual(3);
    expect(items.filter((item) => item.track === 'SYSTEM_DESIGN').length).toBeGreaterThanOrEqual(2);
    for (const item of items) {
      expect(item.organizationId).toBeNull();
      expect(item.currentVersion?.status).toBe('PUBLISHED');
    }
    expect(await database.prisma.badge.count()).toBeGreaterThanOrEqual(5);
  });

  it('changes nothing when run again', async () => {
    const before = await snapshot(database);
    const report = await seedDatabase(database.prisma);
    expect(report.created).toBe(0);
    expect(report.updated).toBe(0);
    expect(await snapshot(database)).toEqual(before);
  });
});
