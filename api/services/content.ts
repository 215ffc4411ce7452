/**
 * Rules for content: who sees which items and versions, how the catalog is filtered, and
 * authoring (items, draft versions, publishing) by an organization's instructors.
 */
import { z } from 'zod';
import {
  codingBodySchema,
  type ContentBody,
  debugLabBodySchema,
  LANGUAGES,
  seedItemSchema,
  systemDesignBodySchema,
} from '../content/body.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import {
  ConflictError,
  ForbiddenError,
  type InputIssue,
  InvalidInputError,
  NotFoundError,
  parseInput,
} from '../errors.js';
import { type ContentItem, type ContentVersion, Prisma } from '../generated/prisma/client.js';
import type { Difficulty, Track } from '../generated/prisma/enums.js';

/** Catalog filters; every field optional, all given ones must match. */
export interface ContentFilter {
  track?: Track | null | undefined;
  difficulty?: Difficulty | null | undefined;
  pattern?: string | null | undefined;
  tag?: string | null | undefined;
  search?: string | null | undefined;
}

/** Organizations whose content the viewer authors: those where they are an instructor or admin. */
export function authoringOrganizationIds(viewer: Viewer | null): string[] {
  if (!viewer) return [];
  return [...viewer.roles]
    .filter(([, role]) => role === 'INSTRUCTOR' || role === 'ADMIN')
    .map(([organizationId]) => organizationId);
}

/**
 * Whether the viewer authors items of this owner: an instructor or admin of the owning
 * organization. Global items (`organizationId` null) are seeded, authored by nobody here.
 */
export function canAuthor(viewer: Viewer | null, organizationId: string | null): boolean {
  if (!viewer || organizationId === null) return false;
  const role = viewer.roles.get(organizationId);
  return role === 'INSTRUCTOR' || role === 'ADMIN';
}

/**
 * Items a viewer may read: the published global catalog for everyone; an organization's
 * own published items for its members; and every item of an organization, published or
 * not, for its instructors and admins.
 */
export function visibleContentWhere(viewer: Viewer | null): Prisma.ContentItemWhereInput {
  const organizationIds = viewer ? [...viewer.roles.keys()] : [];
  const authoring = authoringOrganizationIds(viewer);
  return {
    OR: [
      { organizationId: null, currentVersionId: { not: null } },
      ...(organizationIds.length > 0
        ? [{ organizationId: { in: organizationIds }, currentVersionId: { not: null } }]
        : []),
      ...(authoring.length > 0 ? [{ organizationId: { in: authoring } }] : []),
    ],
  };
}

/**
 * Versions a viewer may read: published and archived versions of the items they see
 * (an attempt keeps resolving the version it started on), and every version, drafts
 * included, of the items they author.
 */
export function visibleVersionWhere(viewer: Viewer | null): Prisma.ContentVersionWhereInput {
  const authoring = authoringOrganizationIds(viewer);
  return {
    OR: [
      { status: { not: 'DRAFT' }, contentItem: visibleContentWhere(viewer) },
      ...(authoring.length > 0 ? [{ contentItem: { organizationId: { in: authoring } } }] : []),
    ],
  };
}

/**
 * The versions of one item, already known to be visible, that the viewer may list: all
 * of them for its authors, the non-drafts for everyone else.
 */
export function itemVersionsWhere(viewer: Viewer | null): Prisma.ContentVersionWhereInput {
  const authoring = authoringOrganizationIds(viewer);
  return {
    OR: [
      { status: { not: 'DRAFT' } },
      ...(authoring.length > 0 ? [{ contentItem: { organizationId: { in: authoring } } }] : []),
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

// ─────────────────────────────────── Authoring ───────────────────────────────────

/** Why anonymous visitors are refused. */
const SIGN_IN = 'Sign in as an instructor to author content.';

/** The same metadata rules as the seed, with bounds on what a request may store. */
const createContentItemSchema = seedItemSchema.omit({ body: true }).extend({
  organizationSlug: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  slug: seedItemSchema.shape.slug.max(100, 'must be at most 100 characters'),
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  summary: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  tags: z
    .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
    .max(20, 'must have at most 20 tags')
    .nullish()
    .transform((tags) => [...new Set(tags ?? [])]),
  timeBonusPoints: z
    .number()
    .int()
    .nonnegative()
    .nullish()
    .transform((points) => points ?? 0),
});

/** What `createContentItem` takes. */
export type CreateContentItemInput = z.input<typeof createContentItemSchema>;

/**
 * Creates an organization's item, with no version yet (invisible to students until a
 * version is published). Only the organization's instructors and admins may; the slug is
 * unique within the organization.
 */
export async function createContentItem(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: CreateContentItemInput,
): Promise<ContentItem> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const { organizationSlug, ...data } = parseInput(createContentItemSchema, input);
  const organization = await prisma.organization.findUnique({ where: { slug: organizationSlug } });
  if (!organization) {
    throw new NotFoundError('Organization', `No organization has the slug "${organizationSlug}".`);
  }
  if (!canAuthor(viewer, organization.id)) {
    throw new ForbiddenError(`Only instructors and admins of ${organization.name} can author its content.`);
  }
  try {
    return await prisma.contentItem.create({
      data: { ...data, organizationId: organization.id, scope: organization.id, createdById: viewer.userId },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError(`${organization.name} already has an item with the slug "${data.slug}".`);
    }
    throw error;
  }
}

const bodySchemaByTrack = {
  CODING_INTERVIEW: codingBodySchema,
  DEBUG_LAB: debugLabBodySchema,
  SYSTEM_DESIGN: systemDesignBodySchema,
} as const satisfies Record<Track, z.ZodType<ContentBody>>;

const idSchema = z.guid('is not a valid ID');

/**
 * Parses a version body for an item of `track`: the track's zod schema, then the rules
 * that span fields. Issues are reported under `basePath` (e.g. `["input", "body", ...]`).
 */
export function parseContentBody(track: Track, body: unknown, basePath: string[]): ContentBody {
  const schema = bodySchemaByTrack[track];
  const expectedKind = schema.shape.kind.value;
  if (typeof body === 'object' && body !== null && 'kind' in body && body.kind !== expectedKind) {
    throw InvalidInputError.at([...basePath, 'kind'], `must be "${expectedKind}" for a ${track} item`);
  }
  const parsed: ContentBody = parseInput(schema, body, basePath);
  const issues: InputIssue[] = [];
  if (parsed.kind !== 'SYSTEM_DESIGN') {
    const starterLanguages = LANGUAGES.filter((language) => parsed.starterCode[language]);
    if (starterLanguages.length === 0) {
      issues.push({ path: [...basePath, 'starterCode'], message: 'must have code in at least one language' });
    }
    for (const language of starterLanguages) {
      if (!parsed.referenceSolution[language]) {
        issues.push({
          path: [...basePath, 'referenceSolution', language],
          message: `is missing: every language with starter code needs a reference solution`,
        });
      }
    }
  }
  if (parsed.kind === 'DEBUG_LAB') {
    // The expected bug line points into the JavaScript program the student debugs.
    const buggy = parsed.starterCode.JAVASCRIPT;
    if (!buggy) {
      issues.push({
        path: [...basePath, 'starterCode', 'JAVASCRIPT'],
        message: 'a debug lab needs a JavaScript program',
      });
    } else if (parsed.expectedDiagnosis.bugLine > buggy.trimEnd().split('\n').length) {
      issues.push({
        path: [...basePath, 'expectedDiagnosis', 'bugLine'],
        message: 'is past the last line of the JavaScript starter code',
      });
    }
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return parsed;
}

/** Serializes writes to one item's versions (numbering, publishing) until the transaction ends. */
async function lockItem(tx: Prisma.TransactionClient, contentItemId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "ContentItem" WHERE id = ${contentItemId}::uuid FOR UPDATE`;
}

/** What `createContentVersion` takes: the item's id (a UUID) and the JSON body. */
export interface CreateContentVersionInput {
  contentItemId: string;
  body: unknown;
}

/**
 * Adds a DRAFT version with the next version number, its body validated against the
 * item's track. Concurrent calls on one item get distinct numbers (the item row is locked).
 */
export async function createContentVersion(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: CreateContentVersionInput,
): Promise<ContentVersion> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const contentItemId = parseInput(idSchema, input.contentItemId, ['input', 'contentItemId']);
  // An item the viewer cannot see is not revealed; one they see but do not author is Forbidden.
  const item = await prisma.contentItem.findFirst({
    where: { id: contentItemId, AND: [visibleContentWhere(viewer)] },
  });
  if (!item) throw new NotFoundError('ContentItem');
  if (!canAuthor(viewer, item.organizationId)) {
    throw new ForbiddenError('Only instructors and admins of the organization that owns this item can edit it.');
  }
  const body = parseContentBody(item.track, input.body, ['input', 'body']);
  return prisma.$transaction(async (tx) => {
    await lockItem(tx, item.id);
    const latest = await tx.contentVersion.findFirst({
      where: { contentItemId: item.id },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    return tx.contentVersion.create({
      data: {
        contentItemId: item.id,
        version: (latest?.version ?? 0) + 1,
        status: 'DRAFT',
        body: body as Prisma.InputJsonObject,
        createdById: viewer.userId,
      },
    });
  });
}

/** A published version and its item (whose current version it now is). */
export interface PublishedVersion {
  contentVersion: ContentVersion;
  contentItem: ContentItem;
}

/**
 * Publishes a version in one transaction: the item's previous current version becomes
 * ARCHIVED, this one PUBLISHED, and the item points at it. Publishing the published version
 * again changes nothing; an ARCHIVED version cannot come back (Conflict). Attempts keep the
 * version they pinned: nothing here touches them.
 */
export async function publishContentVersion(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: { contentVersionId: string },
): Promise<PublishedVersion> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const contentVersionId = parseInput(idSchema, input.contentVersionId, ['input', 'contentVersionId']);
  const found = await prisma.contentVersion.findFirst({
    where: { id: contentVersionId, AND: [visibleVersionWhere(viewer)] },
    select: { contentItem: { select: { id: true, organizationId: true } } },
  });
  if (!found) throw new NotFoundError('ContentVersion');
  if (!canAuthor(viewer, found.contentItem.organizationId)) {
    throw new ForbiddenError('Only instructors and admins of the organization that owns this item can publish it.');
  }
  const itemId = found.contentItem.id;
  return prisma.$transaction(async (tx) => {
    await lockItem(tx, itemId);
    // Read again under the lock: a concurrent publish may have changed both rows.
    const version = await tx.contentVersion.findUniqueOrThrow({ where: { id: contentVersionId } });
    const item = await tx.contentItem.findUniqueOrThrow({ where: { id: itemId } });
    if (version.status === 'PUBLISHED') return { contentVersion: version, contentItem: item };
    if (version.status === 'ARCHIVED') {
      throw new ConflictError(
        `Version ${version.version} was replaced and archived; create a new version from its body to publish it again.`,
      );
    }
    if (item.currentVersionId) {
      await tx.contentVersion.update({ where: { id: item.currentVersionId }, data: { status: 'ARCHIVED' } });
    }
    const published = await tx.contentVersion.update({
      where: { id: version.id },
      data: { status: 'PUBLISHED', publishedAt: new Date() },
    });
    const current = await tx.contentItem.update({ where: { id: itemId }, data: { currentVersionId: published.id } });
    return { contentVersion: published, contentItem: current };
  });
}
