/** The database protects its data: indexed foreign keys, unique keys and check constraints. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});

async function makeUser(email: string) {
  return database.prisma.user.create({ data: { email, name: email } });
}

async function makeItem(slug: string, organizationId: string | null = null) {
  return database.prisma.contentItem.create({
    data: {
      organizationId,
      scope: organizationId ?? 'global',
      slug,
      track: 'CODING_INTERVIEW',
      title: slug,
      summary: slug,
      difficulty: 'EASY',
      pattern: 'HASHING',
      rung: 1,
      tags: [],
      estimatedMinutes: 10,
      basePoints: 100,
      timeBonusPoints: 50,
    },
  });
}

describe('data model', () => {
  it('indexes every foreign key (leading columns of some index)', async () => {
    const unindexed = await database.prisma.$queryRaw<{ constraint: string }[]>`
      SELECT c.conname AS constraint
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        AND NOT EXISTS (
          SELECT 1 FROM pg_index i
          WHERE i.indrelid = c.conrelid
            AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
            AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey
        )`;
    expect(unindexed.map((row) => row.constraint)).toEqual([]);
    const [{ count } = { count: 0 }] = await database.prisma.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`;
    expect(count).toBeGreaterThan(30);
  });

  it('keeps slugs unique per owner: once in the global catalog, once per organization', async () => {
    const organization = await database.prisma.organization.create({ data: { slug: 'org-a', name: 'A' } });
    await makeItem('same-slug');
    await makeItem('same-slug', organization.id);
    await expect(makeItem('same-slug')).rejects.toThrow(/Unique constraint/);
    await expect(makeItem('same-slug', organization.id)).rejects.toThrow(/Unique constraint/);
  });

  it('refuses an item whose scope does not match its owner, and malformed slugs', async () => {
    await expect(
      database.prisma.contentItem.create({
        data: {
          scope: 'someone-else',
          slug: 'sneaky',
          track: 'CODING_INTERVIEW',
          title: 't',
          summary: 's',
          difficulty: 'EASY',
          pattern: 'P',
          rung: 1,
          tags: [],
          estimatedMinutes: 1,
          basePoints: 1,
          timeBonusPoints: 0,
        },
      }),
    ).rejects.toThrow(/ContentItem_scope_check|check constraint/i);
    await expect(makeItem('Not A Slug')).rejects.toThrow(/ContentItem_slug_check|check constraint/i);
  });

  it('stores emails lower-cased and once', async () => {
    await makeUser('ada@example.test');
    await expect(makeUser('ada@example.test')).rejects.toThrow(/Unique constraint/);
    await expect(makeUser('Ada@Example.test')).rejects.toThrow(/User_email_lowercase_check|check constraint/i);
  });

  it('allows one idempotency key per user, one progress row per user and item, one badge per user', async () => {
    const user = await makeUser('keys@example.test');
    const item = await makeItem('keys-item');
    const version = await database.prisma.contentVersion.create({
      data: { contentItemId: item.id, version: 1, status: 'PUBLISHED', publishedAt: new Date(), body: {} },
    });
    const attempt = await database.prisma.attempt.create({
      data: { userId: user.id, contentItemId: item.id, contentVersionId: version.id },
    });
    const submission = {
      attemptId: attempt.id,
      userId: user.id,
      language: 'JAVASCRIPT' as const,
      code: 'x',
      idempotencyKey: 'k1',
      payloadHash: 'h',
    };
    await database.prisma.submission.create({ data: submission });
    await expect(database.prisma.submission.create({ data: submission })).rejects.toThrow(/Unique constraint/);
    await expect(
      database.prisma.submission.create({ data: { ...submission, idempotencyKey: 'k2', code: null, language: null } }),
    ).rejects.toThrow(/Submission_payload_check|check constraint/i);

    await database.prisma.userContentProgress.create({ data: { userId: user.id, contentItemId: item.id } });
    await expect(
      database.prisma.userContentProgress.create({ data: { userId: user.id, contentItemId: item.id } }),
    ).rejects.toThrow(/Unique constraint/);

    const badge = await database.prisma.badge.create({
      data: { key: 'TEST_BADGE', name: 'Test', description: 'Test', criterion: 'POINTS', threshold: 1 },
    });
    await database.prisma.userBadge.create({ data: { userId: user.id, badgeId: badge.id } });
    await expect(database.prisma.userBadge.create({ data: { userId: user.id, badgeId: badge.id } })).rejects.toThrow(
      /Unique constraint/,
    );
  });

  it('awards points once per award key and never zero or negative points except adjustments', async () => {
    const user = await makeUser('points@example.test');
    const award = { userId: user.id, reason: 'SOLVE' as const, points: 100, awardKey: 'solve:run-1' };
    await database.prisma.pointsLedger.create({ data: award });
    await expect(database.prisma.pointsLedger.create({ data: award })).rejects.toThrow(/Unique constraint/);
    await expect(
      database.prisma.pointsLedger.create({ data: { ...award, awardKey: 'solve:run-2', points: -5 } }),
    ).rejects.toThrow(/PointsLedger_points_check|check constraint/i);
    await database.prisma.pointsLedger.create({
      data: { ...award, reason: 'ADJUSTMENT', awardKey: 'adjust:1', points: -5 },
    });
  });
});
