/**
 * What instructors read of their students: the learning history (one timeline of drafts,
 * submissions, runs, coach turns and LLM calls), the LLM call log, the links that reach a
 * person's records from elsewhere, and, for admins, the access log of who read whose history.
 */
import { getRefFromModel, PrismaObjectRef, prismaConnectionHelpers, queryFromInfo } from '@pothos/plugin-prisma';
import { type GraphQLResolveInfo, Kind, type SelectionNode } from 'graphql';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { AttemptStatus, Prisma } from '../generated/prisma/client.js';
import { visibleAttemptsWhere } from '../services/access.js';
import {
  ACCESS_RESOURCES,
  accessLogWhere,
  authorizeHistoryRead,
  encodeTimelineCursor,
  llmInteractionsWhere,
  loadTimelineEntries,
  MAX_HISTORY_PAGE_SIZE,
  DEFAULT_HISTORY_PAGE_SIZE,
  TIMELINE_KINDS,
  type TimelineKind,
  type TimelineQueries,
  timelinePage,
} from '../services/history.js';
import { LlmInteractionRef, SocraticTurnRef } from './coach.js';
import { AttemptRef, AttemptStatusEnum, idOf } from './practice.js';

/** The prisma plugin's page size when neither `first` nor `last` is given. */
const DEFAULT_CONNECTION_SIZE = 20;

/** The GraphQL type of each row the timeline returns, recorded as rows are loaded. */
const kindOfRow = new WeakMap<object, TimelineKind>();

/** The object type of a model defined in another domain file (api/schema/practice.ts). */
function prismaObjectRef(model: TimelineKind) {
  const ref = getRefFromModel(model, builder, 'object');
  if (!(ref instanceof PrismaObjectRef)) throw new Error(`${model} is not a prisma object type`);
  return ref;
}

const LearningEventRef = builder.unionType('LearningEvent', {
  description:
    'One event of a learning history: a saved draft, a code run on the student’s own input, a submission, an evaluation run, a coach turn, an LLM call or an adaptive test.',
  types: [
    prismaObjectRef('AdaptiveTestSession'),
    prismaObjectRef('SolutionSnapshot'),
    prismaObjectRef('CodeRun'),
    prismaObjectRef('Submission'),
    prismaObjectRef('EvaluationRun'),
    SocraticTurnRef,
    LlmInteractionRef,
  ],
  resolveType: (row: object) => {
    const kind = kindOfRow.get(row);
    if (!kind) throw new Error('A learning event was not loaded by the timeline.');
    return kind;
  },
});

const LearningEventConnection = builder.connectionObject(
  {
    type: LearningEventRef,
    name: 'LearningEventConnection',
    description: 'A page of a learning history, newest first.',
  },
  { name: 'LearningEventEdge', description: 'An event in a page of a learning history.' },
);

builder.queryField('learningHistory', (t) =>
  t.field({
    type: LearningEventConnection,
    description: `A student’s learning history as one timeline, newest first: saved drafts, code runs, submissions, evaluation runs (at the time they were queued), coach turns, LLM calls and adaptive tests (at the time they started; not when filtering by class or item). You may read your own history; instructors that of the students of the classes they teach; admins that of their organizations’ members. Every read of someone else’s history is recorded in the access log. A student or class you may not read is NotFound.`,
    args: {
      studentId: t.arg.id({ required: true, description: 'Global ID of the student (a User).' }),
      classId: t.arg.id({
        required: false,
        description:
          'Only events on items assigned to this class (global ID). You must teach it and the student take it (or, for your own history, be enrolled in it).',
      }),
      contentItemId: t.arg.id({ required: false, description: 'Only events on this content item (global ID).' }),
      first: t.arg.int({
        required: false,
        description: `Returns the first n events (default ${DEFAULT_HISTORY_PAGE_SIZE}, at most ${MAX_HISTORY_PAGE_SIZE}).`,
      }),
      after: t.arg.string({ required: false, description: 'Returns the events after this cursor.' }),
    },
    errors: {
      types: [InvalidInputError, NotFoundError, ForbiddenError],
      directResult: true,
      union: { name: 'LearningHistoryResult', description: 'The page of the timeline, or why it cannot be read.' },
    },
    resolve: async (_root, args, ctx, info) => {
      const studentId = idOf('User', args.studentId, ['studentId']);
      const classId = args.classId ? idOf('Class', args.classId, ['classId']) : null;
      const contentItemId = args.contentItemId ? idOf('ContentItem', args.contentItemId, ['contentItemId']) : null;
      const through = await authorizeHistoryRead(ctx.runtime.prisma, ctx.viewer, { studentId, classId });
      // Someone else's timeline: this read is logged once; its entries (LLM calls included) add no rows.
      if (through) await ctx.access.readTimeline(studentId, through);
      const page = await timelinePage(ctx.runtime.prisma, {
        studentId,
        classId,
        contentItemId,
        first: args.first,
        after: args.after,
      });
      // Each kind's rows are loaded with what the query selects on that type, so nested
      // fields cost one statement per relation, not one per event.
      const queries: TimelineQueries = {};
      for (const kind of TIMELINE_KINDS) {
        if (page.keys.some((key) => key.kind === kind)) {
          queries[kind] = queryFromInfo({ context: ctx, info, typeName: kind, path: ['edges', 'node'] });
        }
      }
      const entries = await loadTimelineEntries(ctx.runtime.prisma, page.keys, queries);
      for (const entry of entries) kindOfRow.set(entry.row, entry.kind);
      const edges = entries.map((entry) => ({ cursor: encodeTimelineCursor(entry), node: entry.row }));
      return {
        edges,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: Boolean(args.after),
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: page.totalCount,
      };
    },
  }),
);

const LlmInteractionFilter = builder.inputType('LlmInteractionFilter', {
  description: 'Narrows the LLM call log; every given field must match.',
  fields: (t) => ({
    studentId: t.id({ required: false, description: 'Only calls made for this student (global ID of a User).' }),
    classId: t.id({
      required: false,
      description: 'Only calls for students of this class on items assigned to it (global ID).',
    }),
    contentItemId: t.id({ required: false, description: 'Only calls about this content item (global ID).' }),
    model: t.string({ required: false, description: 'Only calls to this model, as the provider names it.' }),
    from: t.field({ type: 'DateTime', required: false, description: 'Only calls made at or after this time.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Only calls made before this time.' }),
  }),
});

builder.queryField('llmInteractions', (t) =>
  t.prismaConnection(
    {
      type: 'LlmInteraction',
      cursor: 'id',
      description:
        'LLM calls, newest first: your own, and those of the people whose history you may read (the students you teach; your organizations’ members if you are an admin). Each page that includes someone else’s calls is recorded in the access log, once per person.',
      args: { filter: t.arg({ type: LlmInteractionFilter, required: false, description: 'Narrows the log.' }) },
      errors: {
        types: [InvalidInputError, ForbiddenError],
        directResult: true,
        union: { name: 'LlmInteractionsResult', description: 'The page of LLM calls, or why it cannot be read.' },
      },
      totalCount: (_parent, args, ctx) =>
        ctx.runtime.prisma.llmInteraction.count({ where: llmInteractionsWhere(ctx.viewer, decodeFilter(args.filter)) }),
      resolve: async (query, _root, args, ctx) => {
        const where = llmInteractionsWhere(ctx.viewer, decodeFilter(args.filter));
        const rows = await ctx.runtime.prisma.llmInteraction.findMany({
          ...query,
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        });
        // The rows may hold one more than the page (to tell whether more follow): it is not shown, not logged.
        const size = args.last ?? args.first ?? DEFAULT_CONNECTION_SIZE;
        const shown = args.last != null ? rows.slice(Math.max(rows.length - size, 0)) : rows.slice(0, size);
        await Promise.all(shown.map((row) => ctx.access.read(row.userId, ACCESS_RESOURCES.LLM_INTERACTIONS)));
        return rows;
      },
    },
    { description: 'A page of LLM calls.' },
    { description: 'An LLM call in a page.' },
  ),
);

function decodeFilter(filter: typeof LlmInteractionFilter.$inferInput | null | undefined) {
  if (!filter) return null;
  return {
    ...filter,
    studentId: filter.studentId ? idOf('User', filter.studentId, ['filter', 'studentId']) : null,
    classId: filter.classId ? idOf('Class', filter.classId, ['filter', 'classId']) : null,
    contentItemId: filter.contentItemId ? idOf('ContentItem', filter.contentItemId, ['filter', 'contentItemId']) : null,
  };
}

builder.prismaObject('AccessLog', {
  name: 'AccessLogEntry',
  description: 'One read of a person’s learning history or LLM calls by someone else.',
  fields: (t) => ({
    viewer: t.relation('viewer', { description: 'Who read it.' }),
    subject: t.relation('subject', { description: 'Whose history was read.' }),
    organization: t.relation('organization', { description: 'The organization through which it was read.' }),
    resource: t.exposeString('resource', {
      description: 'What was read: `LEARNING_HISTORY` (the timeline) or `LLM_INTERACTIONS` (the LLM call log).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was read.' }),
  }),
});

builder.queryField('accessLog', (t) =>
  t.prismaConnection(
    {
      type: 'AccessLog',
      cursor: 'id',
      description:
        'Who read whose learning history, newest first, across the organizations you administer; empty unless you are an admin.',
      totalCount: (_parent, _args, ctx) => ctx.runtime.prisma.accessLog.count({ where: accessLogWhere(ctx.viewer) }),
      resolve: (query, _root, _args, ctx) =>
        ctx.runtime.prisma.accessLog.findMany({
          ...query,
          where: accessLogWhere(ctx.viewer),
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
    },
    { description: 'A page of the access log.' },
    { description: 'An access-log entry in a page.' },
  ),
);

// The links that reach a person's learning records from elsewhere: a user's attempts, and the
// relations between their history and their LLM calls. Each logs what it hands out (someone
// else's); what lies under a record so reached is the same person's, of the same kind.

/** Attempts the viewer may see, optionally in one state. */
function attemptsWhere(ctx: Context, status: AttemptStatus | null | undefined): Prisma.AttemptWhereInput {
  return { ...(status ? { status } : {}), AND: [visibleAttemptsWhere(ctx.viewer)] };
}

/** The pages of `User.attempts`, newest first. */
const userAttempts = prismaConnectionHelpers(builder, 'Attempt', {
  cursor: 'id',
  args: (t) => ({
    status: t.field({ type: AttemptStatusEnum, required: false, description: 'Only attempts in this state.' }),
  }),
  query: (args, ctx) => ({ where: attemptsWhere(ctx, args.status) }),
});

/** Whether the query asks for `name` right under the field being resolved (through fragments too). */
function asksFor(info: GraphQLResolveInfo, name: string): boolean {
  const within = (selections: readonly SelectionNode[]): boolean =>
    selections.some((selection) =>
      selection.kind === Kind.FIELD
        ? selection.name.value === name
        : within(
            (selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value])?.selectionSet
              .selections ?? [],
          ),
    );
  return info.fieldNodes.some((node) => within(node.selectionSet?.selections ?? []));
}

// Loaded with the user (one statement for a list of users), like a relatedConnection, but
// resolved here so that handing out someone else's attempts is logged.
builder.prismaObjectField('User', 'attempts', (t) =>
  t.connection(
    {
      type: AttemptRef,
      description: 'Attempts, newest first. Visible to the user, their instructors and their organization’s admins.',
      args: userAttempts.getArgs(),
      select: (args, ctx, nestedSelection) => ({
        attempts: {
          ...userAttempts.getQuery(args, ctx, nestedSelection),
          orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        },
      }),
      resolve: async (user, args, ctx, info) => {
        const page = userAttempts.resolve(user.attempts, args, ctx, user);
        // Logged when attempts are handed out, not for a count or a page's cursors alone.
        if (page.edges.length > 0 && asksFor(info, 'edges')) await ctx.access.read(user.id);
        return {
          ...page,
          // Counted only when asked for, like every prisma connection.
          totalCount: () =>
            ctx.runtime.prisma.attempt.count({ where: { userId: user.id, ...attemptsWhere(ctx, args.status) } }),
        };
      },
    },
    { description: 'A page of attempts.' },
    { description: 'An attempt in a page.' },
  ),
);

builder.prismaObjectFields('SocraticTurn', (t) => ({
  llmInteractions: t.field({
    type: [LlmInteractionRef],
    description: 'The LLM calls made to write this turn, oldest first.',
    select: (_args, _ctx, nestedSelection) => ({
      userId: true,
      llmInteractions: nestedSelection({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    }),
    resolve: async (turn, _args, ctx) => {
      if (turn.llmInteractions.length > 0) await ctx.access.read(turn.userId, ACCESS_RESOURCES.LLM_INTERACTIONS);
      return turn.llmInteractions;
    },
  }),
}));

builder.prismaObjectFields('LlmInteraction', (t) => ({
  attempt: t.field({
    type: AttemptRef,
    nullable: true,
    description: 'The attempt it was about, if any.',
    select: (_args, _ctx, nestedSelection) => ({ attempt: nestedSelection(true) }),
    resolve: async (interaction, _args, ctx) => {
      if (interaction.attempt) await ctx.access.read(interaction.attempt.userId);
      return interaction.attempt;
    },
  }),
  turn: t.field({
    type: SocraticTurnRef,
    nullable: true,
    description: 'The coach turn it wrote, if any.',
    select: (_args, _ctx, nestedSelection) => ({ turn: nestedSelection(true) }),
    resolve: async (interaction, _args, ctx) => {
      if (interaction.turn) await ctx.access.read(interaction.turn.userId);
      return interaction.turn;
    },
  }),
}));
