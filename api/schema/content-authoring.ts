/**
 * Authoring by the owning organization's instructors: new items, draft versions, publishing.
 */
import { builder } from '../builder.js';
import { ConflictError } from '../errors.js';
import type { ContentItem, ContentVersion } from '../generated/prisma/client.js';
import { createContentItem, createContentVersion, publishContentVersion } from '../services/content.js';
import { ContentItemRef, ContentVersionRef } from './content.js';
import { DifficultyEnum, TrackEnum } from './enums.js';
import { COMMON_ERRORS } from './errors.js';
import { idOf } from './practice.js';

const CreateContentItemInput = builder.inputType('CreateContentItemInput', {
  description: 'A new item of an organization. It has no version yet: add one, then publish it.',
  fields: (t) => ({
    organizationSlug: t.string({
      required: true,
      description: 'Slug of the owning organization (you must be one of its instructors or admins).',
    }),
    slug: t.string({
      required: true,
      description: 'URL-safe handle, lower-case words joined by hyphens; unique within the organization.',
    }),
    title: t.string({ required: true, description: 'Title (at most 200 characters).' }),
    summary: t.string({ required: true, description: 'One-line summary (at most 500 characters).' }),
    track: t.field({
      type: TrackEnum,
      required: true,
      description: 'Kind of practice; decides the shape of every version’s body.',
    }),
    difficulty: t.field({ type: DifficultyEnum, required: true, description: 'How hard it is.' }),
    pattern: t.string({
      required: true,
      description: 'Problem-solving pattern in SCREAMING_CASE, e.g. `TWO_POINTERS`.',
    }),
    rung: t.int({ required: true, description: 'Step on the ladder within its pattern, 1 (intro) to 5.' }),
    tags: t.stringList({ required: false, description: 'Topic tags (at most 20); none when omitted.' }),
    estimatedMinutes: t.int({ required: true, description: 'Typical time to solve, in minutes (1 or more).' }),
    basePoints: t.int({ required: true, description: 'Points for the first solve (0 or more).' }),
    timeBonusPoints: t.int({
      required: false,
      description: 'Most extra points for a fast first solve (0 or more); 0 when omitted.',
    }),
  }),
});

const CreateContentItemPayload = builder.objectRef<{ contentItem: ContentItem }>('CreateContentItemPayload').implement({
  description: 'The item just created.',
  fields: (t) => ({
    contentItem: t.field({
      type: ContentItemRef,
      nullable: false,
      description: 'The new item, with no version yet.',
      resolve: (payload) => payload.contentItem,
    }),
  }),
});

const CreateContentVersionInput = builder.inputType('CreateContentVersionInput', {
  description: 'A new draft version of an item.',
  fields: (t) => ({
    contentItemId: t.id({ required: true, description: 'Global ID of the item.' }),
    body: t.field({
      type: 'JSON',
      required: true,
      description:
        'The version’s body. Its `kind` must match the item’s track: `CODING` for CODING_INTERVIEW, `DEBUG_LAB` for DEBUG_LAB, `SYSTEM_DESIGN` for SYSTEM_DESIGN; `ContentVersion.body` of an existing version shows the full shape.',
    }),
  }),
});

const CreateContentVersionPayload = builder
  .objectRef<{ contentVersion: ContentVersion }>('CreateContentVersionPayload')
  .implement({
    description: 'The draft just created.',
    fields: (t) => ({
      contentVersion: t.field({
        type: ContentVersionRef,
        nullable: false,
        description: 'The new DRAFT version, numbered after the item’s latest.',
        resolve: (payload) => payload.contentVersion,
      }),
    }),
  });

const PublishContentVersionInput = builder.inputType('PublishContentVersionInput', {
  description: 'The version to publish.',
  fields: (t) => ({
    contentVersionId: t.id({
      required: true,
      description: 'Global ID of the version (a DRAFT, or the PUBLISHED one).',
    }),
  }),
});

const PublishContentVersionPayload = builder
  .objectRef<{ contentVersion: ContentVersion; contentItem: ContentItem }>('PublishContentVersionPayload')
  .implement({
    description: 'The published version and its item.',
    fields: (t) => ({
      contentVersion: t.field({
        type: ContentVersionRef,
        nullable: false,
        description: 'The version, now PUBLISHED.',
        resolve: (payload) => payload.contentVersion,
      }),
      contentItem: t.field({
        type: ContentItemRef,
        nullable: false,
        description: 'Its item, whose `currentVersion` it now is.',
        resolve: (payload) => payload.contentItem,
      }),
    }),
  });

builder.mutationFields((t) => ({
  createContentItem: t.field({
    type: CreateContentItemPayload,
    description:
      'Creates an item owned by an organization, with no version: students see it once a version is published. Instructors and admins of the organization only.',
    args: { input: t.arg({ type: CreateContentItemInput, required: true, description: 'The new item.' }) },
    errors: {
      types: [...COMMON_ERRORS, ConflictError],
      directResult: true,
      union: {
        name: 'CreateContentItemResult',
        description: 'The new item, or why it was not created (Conflict: the slug is taken in the organization).',
      },
    },
    resolve: async (_root, { input }, ctx) => ({
      contentItem: await createContentItem(ctx.runtime.prisma, ctx.viewer, input),
    }),
  }),
  createContentVersion: t.field({
    type: CreateContentVersionPayload,
    description:
      'Adds a DRAFT version with the next version number; only the item’s authors see it until it is published. The body is validated against the item’s track; InvalidInput names the bad path inside it, e.g. `["input", "body", "testCases", "0", "expected"]`.',
    args: { input: t.arg({ type: CreateContentVersionInput, required: true, description: 'The new version.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'CreateContentVersionResult', description: 'The new draft, or why it was not created.' },
    },
    resolve: async (_root, { input }, ctx) => ({
      contentVersion: await createContentVersion(ctx.runtime.prisma, ctx.viewer, {
        contentItemId: idOf('ContentItem', String(input.contentItemId), ['input', 'contentItemId']),
        body: input.body,
      }),
    }),
  }),
  publishContentVersion: t.field({
    type: PublishContentVersionPayload,
    description:
      'Publishes a version: it becomes the item’s current version and the previous one is ARCHIVED, in one step. Attempts already started keep the version they started on. Publishing the published version again changes nothing; an ARCHIVED version cannot be published again (Conflict).',
    args: { input: t.arg({ type: PublishContentVersionInput, required: true, description: 'What to publish.' }) },
    errors: {
      types: [...COMMON_ERRORS, ConflictError],
      directResult: true,
      union: {
        name: 'PublishContentVersionResult',
        description: 'The published version, or why it was not published (Conflict: the version is archived).',
      },
    },
    resolve: async (_root, { input }, ctx) =>
      publishContentVersion(ctx.runtime.prisma, ctx.viewer, {
        contentVersionId: idOf('ContentVersion', String(input.contentVersionId), ['input', 'contentVersionId']),
      }),
  }),
}));
