/**
 * A content item with one published version, made straight in the database (tests and the
 * benchmarks that need an item the seed does not have).
 */
import type { PrismaClient } from '../../api/db.js';
import type { Prisma } from '../../api/generated/prisma/client.js';

/** The item's fields; anything left out is a small easy coding item. */
export type ItemFields = Partial<Omit<Prisma.ContentItemUncheckedCreateInput, 'id' | 'currentVersionId'>> & {
  slug: string;
};

/** Creates the item and its version 1, published and current; returns both. */
export async function publishedItem(prisma: PrismaClient, fields: ItemFields, body: Prisma.InputJsonValue) {
  const item = await prisma.contentItem.create({
    data: {
      track: 'CODING_INTERVIEW',
      title: fields.slug,
      summary: 'A test item.',
      difficulty: 'EASY',
      pattern: 'HASHING',
      rung: 1,
      tags: [],
      estimatedMinutes: 5,
      basePoints: 10,
      timeBonusPoints: 0,
      ...fields,
    },
  });
  const version = await prisma.contentVersion.create({
    data: { contentItemId: item.id, version: 1, status: 'PUBLISHED', publishedAt: new Date(), body },
  });
  const current = await prisma.contentItem.update({ where: { id: item.id }, data: { currentVersionId: version.id } });
  return { item: current, version };
}
