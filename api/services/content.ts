/**
 * Rules for content: who sees which items and versions, and how the catalog is filtered.
 */
import type { Viewer } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Difficulty, Track } from '../generated/prisma/enums.js';

/** Catalog filters; every field optional, all given ones must match. */
export interface ContentFilter {
  track?: Track | null | undefined;
  difficulty?: Difficulty | null | undefined;
  pattern?: string | null | undefined;
  tag?: string | null | undefined;
  search?: string | null | undefined;
}

/**
 * Items a viewer may read: the published global catalog for everyone; an organization's
 * own published items for its members.
 */
export function visibleContentWhere(viewer: Viewer | null): Prisma.ContentItemWhereInput {
  const organizationIds = viewer ? [...viewer.roles.keys()] : [];
  return {
    currentVersionId: { not: null },
    OR: [
      { organizationId: null },
      ...(organizationIds.length > 0 ? [{ organizationId: { in: organizationIds } }] : []),
    ],
  };
}

/** The Prisma filter for a catalog query: visibility plus the given filters. */
export function contentItemsWhere(
  viewer: Viewer | null,
  filter: ContentFilter | null | undefined,
): Prisma.ContentItemWhereInput {
  const and: Prisma.ContentItemWhereInput[] = [visibleContentWhere(viewer)];
  if (filter?.track) and.push({ track: filter.track });
  if (filter?.difficulty) and.push({ difficulty: filter.difficulty });
  if (filter?.pattern) and.push({ pattern: filter.pattern });
  if (filter?.tag) and.push({ tags: { has: filter.tag } });
  const search = filter?.search?.trim();
  if (search) {
    and.push({
      OR: [
        { title: { contains: search, mode: 'insensitive' } },
        { summary: { contains: search, mode: 'insensitive' } },
        { slug: { contains: search, mode: 'insensitive' } },
      ],
    });
  }
  return { AND: and };
}

/** Catalog order: by track, pattern and rung, so ladders read in order. */
export const catalogOrder: Prisma.ContentItemOrderByWithRelationInput[] = [
  { track: 'asc' },
  { pattern: 'asc' },
  { rung: 'asc' },
  { slug: 'asc' },
  { id: 'asc' },
];
