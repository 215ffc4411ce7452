/**
 * The content catalog: items, their versions and the catalog queries (authoring is in
 * content-authoring.ts).
 */

import { z } from 'zod';
import { builder } from '../builder.js';
import type { CodeByLanguage, TestCase } from '../content/body.js';
import { contentBodySchema } from '../content/body.js';
import type { Context } from '../context.js';
import type { ContentItem, ContentVersion } from '../generated/prisma/client.js';
import { ContentVersionStatus, Language } from '../generated/prisma/enums.js';
import {
  canAuthor,
  catalogOrder,
  contentItemsWhere,
  itemVersionsWhere,
  visibleContentWhere,
  visibleVersionWhere,
} from '../services/content.js';
import { DifficultyEnum, LanguageEnum, TrackEnum } from './enums.js';

/** Said of every field only an item's authors see. */
const AUTHORS_ONLY = 'Null unless you are an instructor or admin of the organization that owns the item.';

const ContentVersionStatusEnum = builder.enumType(ContentVersionStatus, {
  name: 'ContentVersionStatus',
  description: 'Life cycle of a content version.',
  values: {
    DRAFT: { description: 'Being written; visible to the owning organization’s instructors only.' },
    PUBLISHED: { description: 'The version students get when they start an attempt.' },
    ARCHIVED: { description: 'Replaced by a newer version; attempts pinned to it keep working.' },
  },
});

/** Starter code in one language. */
const CodeSnippet = builder.objectRef<{ language: Language; code: string }>('CodeSnippet').implement({
  description: 'Code in one language.',
  fields: (t) => ({
    language: t.expose('language', { type: LanguageEnum, description: 'Language of the code.' }),
    code: t.exposeString('code', { description: 'The source code.' }),
  }),
});

const SampleTestCase = builder.objectRef<TestCase & { index: number }>('SampleTestCase').implement({
  description: 'A visible test case: the entrypoint is called with `args` and must return `expected`.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the test among all of the version’s tests.' }),
    name: t.exposeString('name', { description: 'Short name of what the test checks.' }),
    args: t.field({
      type: 'JSON',
      description: 'Arguments passed to the entrypoint, in order.',
      resolve: (c) => c.args,
    }),
    expected: t.field({
      type: 'JSON',
      description: 'The value the entrypoint must return.',
      resolve: (c) => c.expected,
    }),
  }),
});

const AuthoredTestCase = builder.objectRef<TestCase & { index: number }>('AuthoredTestCase').implement({
  description: 'A test case as its authors wrote it, hidden or not. Only the item’s authors see these.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the test among all of the version’s tests.' }),
    name: t.exposeString('name', { description: 'Short name of what the test checks.' }),
    args: t.field({
      type: 'JSON',
      description: 'Arguments passed to the entrypoint, in order.',
      resolve: (c) => c.args,
    }),
    expected: t.field({
      type: 'JSON',
      description: 'The value the entrypoint must return.',
      resolve: (c) => c.expected,
    }),
    hidden: t.exposeBoolean('hidden', {
      description: 'Whether students see only pass or fail for this test, never its inputs.',
    }),
  }),
});

const ExpectedDiagnosis = builder
  .objectRef<{ summary: string; keywords: string[][]; bugLine: number }>('ExpectedDiagnosis')
  .implement({
    description: 'What a correct diagnosis of a debug lab’s bug says; a student’s diagnosis is checked against it.',
    fields: (t) => ({
      summary: t.exposeString('summary', { description: 'One-sentence statement of the root cause.' }),
      keywords: t.field({
        type: t.listRef(t.listRef('String')),
        description:
          'Groups of words a correct diagnosis mentions: at least one word of every group (case-insensitive).',
        resolve: (diagnosis) => diagnosis.keywords,
      }),
      bugLine: t.exposeInt('bugLine', { description: '1-based line of the bug in the JavaScript starter code.' }),
    }),
  });

const RubricCriterion = builder
  .objectRef<{ key: string; title: string; description: string; maxScore: number; guidance: string | null }>(
    'RubricCriterion',
  )
  .implement({
    description: 'One criterion a system-design answer is scored on.',
    fields: (t) => ({
      key: t.exposeString('key', { description: 'Stable key of the criterion.' }),
      title: t.exposeString('title', { description: 'Short title.' }),
      description: t.exposeString('description', { description: 'What the criterion looks for.' }),
      maxScore: t.exposeInt('maxScore', { description: 'Highest score for this criterion.' }),
      guidance: t.exposeString('guidance', {
        nullable: true,
        description: `What a full-score answer covers: the scorer’s guidance. ${AUTHORS_ONLY}`,
      }),
    }),
  });

function snippets(code: CodeByLanguage): { language: Language; code: string }[] {
  return Object.values(Language).flatMap((language) => {
    const source = code[language];
    return source ? [{ language, code: source }] : [];
  });
}

const bodyCache = new WeakMap<object, ReturnType<typeof contentBodySchema.parse>>();
/** Parses a version's JSON body once per loaded row. */
export function bodyOf(version: Pick<ContentVersion, 'body'>) {
  const raw = version.body as object;
  let body = bodyCache.get(raw);
  if (!body) {
    body = contentBodySchema.parse(raw);
    bodyCache.set(raw, body);
  }
  return body;
}

/** What a field that only authors see selects: the body and the owning organization. */
const authoredSelect = { body: true, contentItem: { select: { organizationId: true } } } as const;

/** The version's body when the viewer authors its item; null for everyone else. */
function authoredBodyOf(
  version: Pick<ContentVersion, 'body'> & { contentItem: Pick<ContentItem, 'organizationId'> },
  ctx: Context,
) {
  return canAuthor(ctx.viewer, version.contentItem.organizationId) ? bodyOf(version) : null;
}

export const ContentVersionRef = builder.prismaNode('ContentVersion', {
  id: { field: 'id' },
  // Not found or not visible: `node(id)` answers null, never an error that reveals existence.
  nullable: true,
  description:
    'One version of a content item’s body. An attempt keeps the version it started on. Drafts, hidden tests, reference solutions and scoring guidance are visible to the owning organization’s instructors and admins only.',
  // Drafts only for the item's authors; published and archived versions whenever the item is visible.
  findUnique: (id, ctx) => ({ id, AND: [visibleVersionWhere(ctx.viewer)] }),
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'Version number: 1, 2, 3… per item.' }),
    status: t.expose('status', { type: ContentVersionStatusEnum, description: 'Life cycle state.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When this version was written.' }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When this version was published; null for drafts.',
    }),
    contentItem: t.relation('contentItem', { description: 'The item this is a version of.' }),
    statement: t.string({
      description: 'The problem statement, in Markdown.',
      select: { body: true },
      resolve: (version) => bodyOf(version).statement,
    }),
    entrypoint: t.string({
      nullable: true,
      description: 'Name of the function to implement; null for system-design prompts.',
      select: { body: true },
      resolve: (version) => {
        const body = bodyOf(version);
        return body.kind === 'SYSTEM_DESIGN' ? null : body.entrypoint;
      },
    }),
    starterCode: t.field({
      type: [CodeSnippet],
      description: 'Starter code per language (for a debug lab: the buggy program to fix). Empty for system design.',
      select: { body: true },
      resolve: (version) => {
        const body = bodyOf(version);
        return body.kind === 'SYSTEM_DESIGN' ? [] : snippets(body.starterCode);
      },
    }),
    sampleTests: t.field({
      type: [SampleTestCase],
      description: 'The visible test cases. Hidden tests are never listed here (authors see them in `allTestCases`).',
      select: { body: true },
      resolve: (version) => {
        const body = bodyOf(version);
        if (body.kind === 'SYSTEM_DESIGN') return [];
        return body.testCases.flatMap((testCase, index) => (testCase.hidden ? [] : [{ ...testCase, index }]));
      },
    }),
    testCount: t.int({
      description: 'Number of test cases, hidden ones included.',
      select: { body: true },
      resolve: (version) => {
        const body = bodyOf(version);
        return body.kind === 'SYSTEM_DESIGN' ? 0 : body.testCases.length;
      },
    }),
    hiddenTestCount: t.int({
      description: 'Number of hidden test cases: they report pass or fail only.',
      select: { body: true },
      resolve: (version) => {
        const body = bodyOf(version);
        return body.kind === 'SYSTEM_DESIGN' ? 0 : body.testCases.filter((testCase) => testCase.hidden).length;
      },
    }),
    rubric: t.field({
      type: [RubricCriterion],
      description:
        'Criteria a system-design answer is scored on; empty for other tracks. Each criterion’s `guidance` is for the item’s authors only.',
      select: authoredSelect,
      resolve: (version, _args, ctx) => {
        const body = bodyOf(version);
        if (body.kind !== 'SYSTEM_DESIGN') return [];
        const authored = canAuthor(ctx.viewer, version.contentItem.organizationId);
        return body.rubric.map((criterion) => ({ ...criterion, guidance: authored ? criterion.guidance : null }));
      },
    }),
    hints: t.field({
      type: ['String'],
      description: 'Nudges, in the order to reveal them.',
      select: { body: true },
      resolve: (version) => bodyOf(version).hints,
    }),
    allTestCases: t.field({
      type: [AuthoredTestCase],
      nullable: true,
      description: `Every test case, hidden ones included, with their inputs and expected values; empty for system design. ${AUTHORS_ONLY}`,
      select: authoredSelect,
      resolve: (version, _args, ctx) => {
        const body = authoredBodyOf(version, ctx);
        if (!body) return null;
        return body.kind === 'SYSTEM_DESIGN' ? [] : body.testCases.map((testCase, index) => ({ ...testCase, index }));
      },
    }),
    referenceSolution: t.field({
      type: [CodeSnippet],
      nullable: true,
      description: `A correct solution per language; empty for system design. ${AUTHORS_ONLY}`,
      select: authoredSelect,
      resolve: (version, _args, ctx) => {
        const body = authoredBodyOf(version, ctx);
        if (!body) return null;
        return body.kind === 'SYSTEM_DESIGN' ? [] : snippets(body.referenceSolution);
      },
    }),
    expectedDiagnosis: t.field({
      type: ExpectedDiagnosis,
      nullable: true,
      description: `What a correct diagnosis of a debug lab says. Null for other tracks. ${AUTHORS_ONLY}`,
      select: authoredSelect,
      resolve: (version, _args, ctx) => {
        const body = authoredBodyOf(version, ctx);
        return body?.kind === 'DEBUG_LAB' ? body.expectedDiagnosis : null;
      },
    }),
    body: t.field({
      type: 'JSON',
      nullable: true,
      description: `The whole body as authored (the shape \`createContentVersion\` takes), to edit into a new version. ${AUTHORS_ONLY}`,
      select: authoredSelect,
      resolve: (version, _args, ctx) => authoredBodyOf(version, ctx),
    }),
  }),
});

export const ContentItemRef = builder.prismaNode('ContentItem', {
  id: { field: 'id' },
  // Not found or not visible: `node(id)` answers null, never an error that reveals existence.
  nullable: true,
  description:
    'A practice item: a coding problem, a debug lab or a system-design prompt. An organization’s item is visible to its members once published, and to its instructors and admins from the start.',
  findUnique: (id, ctx) => ({ id, AND: [visibleContentWhere(ctx.viewer)] }),
  fields: (t) => ({
    slug: t.exposeString('slug', {
      description: 'URL-safe handle, unique within its owner (the global catalog or an organization).',
    }),
    title: t.exposeString('title', { description: 'Title.' }),
    summary: t.exposeString('summary', { description: 'One-line summary.' }),
    track: t.expose('track', { type: TrackEnum, description: 'Kind of practice.' }),
    difficulty: t.expose('difficulty', { type: DifficultyEnum, description: 'How hard it is.' }),
    pattern: t.exposeString('pattern', { description: 'Problem-solving pattern, e.g. `TWO_POINTERS`.' }),
    rung: t.exposeInt('rung', { description: 'Step on the ladder within its pattern, from 1 (intro).' }),
    tags: t.exposeStringList('tags', { description: 'Topic tags.' }),
    estimatedMinutes: t.exposeInt('estimatedMinutes', { description: 'Typical time to solve, in minutes.' }),
    basePoints: t.exposeInt('basePoints', {
      description:
        'Points for the first solve (score 1; for system design, a rubric score of 0.7 or more, with credit of `basePoints × best score` as the best score rises). Solving again earns nothing more.',
    }),
    timeBonusPoints: t.exposeInt('timeBonusPoints', {
      description:
        'Most extra points for a fast first solve. The bonus is `floor(timeBonusPoints × 0.5^(minutes / estimatedMinutes))`, with `minutes` from the start of the attempt to the solving submission: all of it at once, half after the estimated time, a quarter after twice that.',
    }),
    isGlobal: t.boolean({
      description: 'True for the public catalog; false for an organization’s own item.',
      select: { organizationId: true },
      resolve: (item) => item.organizationId === null,
    }),
    viewerCanAuthor: t.boolean({
      description:
        'Whether you may add and publish versions of this item: true for instructors and admins of the owning organization. Global items are authored by nobody through the API.',
      select: { organizationId: true },
      resolve: (item, _args, ctx) => canAuthor(ctx.viewer, item.organizationId),
    }),
    currentVersion: t.relation('currentVersion', {
      nullable: true,
      description:
        'The published version students get when they start an attempt; null until a version is published (only the item’s authors see such an item).',
    }),
    versions: t.relatedConnection(
      'versions',
      {
        cursor: 'id',
        totalCount: true,
        description:
          'Versions of this item, newest first: every one, drafts included, for instructors and admins of the owning organization; the published and archived ones for everyone else.',
        query: (_args, ctx) => ({ where: itemVersionsWhere(ctx.viewer), orderBy: { version: 'desc' } }),
      },
      { description: 'A page of content versions.' },
      { description: 'A content version in a page.' },
    ),
  }),
});

const ContentFilterInput = builder.inputType('ContentFilter', {
  description: 'Narrows the catalog; every given field must match.',
  fields: (t) => ({
    track: t.field({ type: TrackEnum, required: false, description: 'Only items of this track.' }),
    difficulty: t.field({ type: DifficultyEnum, required: false, description: 'Only items of this difficulty.' }),
    pattern: t.string({ required: false, description: 'Only items of this pattern, e.g. `SLIDING_WINDOW`.' }),
    tag: t.string({ required: false, description: 'Only items carrying this tag.' }),
    search: t.string({
      required: false,
      description: 'Case-insensitive text matched against title, summary and slug.',
      validate: z.string().max(200, 'must be at most 200 characters'),
    }),
  }),
});

builder.queryFields((t) => ({
  contentItems: t.prismaConnection(
    {
      type: 'ContentItem',
      cursor: 'id',
      description:
        'The content you can see, in catalog order (track, pattern, rung): the published global catalog, your organizations’ published items, and, for instructors and admins, their organizations’ unpublished items too (`currentVersion` null).',
      args: { filter: t.arg({ type: ContentFilterInput, required: false, description: 'Filters to apply.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.runtime.prisma.contentItem.findMany({
          ...query,
          where: contentItemsWhere(ctx.viewer, args.filter),
          orderBy: catalogOrder,
        }),
      totalCount: (_connection, args, ctx) =>
        ctx.runtime.prisma.contentItem.count({ where: contentItemsWhere(ctx.viewer, args.filter) }),
    },
    { description: 'A page of content items.' },
    { description: 'A content item in a page.' },
  ),
  contentItem: t.prismaField({
    type: 'ContentItem',
    nullable: true,
    description:
      'One content item by slug. Your organizations’ own items (unpublished ones too, for instructors and admins) are looked up first, then the global catalog; null when none is visible.',
    args: {
      slug: t.arg.string({
        required: true,
        description: 'The item’s slug.',
        validate: z.string().max(200, 'must be at most 200 characters'),
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const items = await ctx.runtime.prisma.contentItem.findMany({
        ...query,
        where: { slug: args.slug, AND: [visibleContentWhere(ctx.viewer)] },
        orderBy: { organizationId: { sort: 'asc', nulls: 'last' } },
        take: 1,
      });
      return items[0] ?? null;
    },
  }),
}));
