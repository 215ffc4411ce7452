/** Leaderboards: ranked points per window, track and scope, and a live feed of their top. */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { requireViewer } from '../auth/viewer.js';
import { builder, MAX_PAGE_SIZE, TOTAL_COUNT_DESCRIPTION } from '../builder.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { Track } from '../generated/prisma/enums.js';
import {
  type Board,
  boardPage,
  boardSize,
  type LeaderboardRow,
  type LeaderboardScope,
  resolveBoard,
  viewerRow,
} from '../leaderboard/board.js';
import { type LeaderboardPeriod, periodEnd } from '../leaderboard/periods.js';
import { TrackEnum } from './enums.js';
import { idOf } from './practice.js';

/** Why anonymous visitors are refused. */
const SIGN_IN = 'Sign in to see leaderboards.';

const LeaderboardScopeEnum = builder.enumType('LeaderboardScope', {
  description: 'Whom a leaderboard ranks.',
  values: {
    GLOBAL: { description: 'Everyone on the platform.' },
    ORGANIZATION: { description: 'The members of one of your organizations.' },
    CLASS: { description: 'The students of a class you take or teach (or whose organization you administer).' },
  } satisfies Record<LeaderboardScope, { description: string }>,
});

const LeaderboardWindowEnum = builder.enumType('LeaderboardWindow', {
  description: 'Which points count, by when they were awarded. Windows are in UTC.',
  values: {
    ALL_TIME: { description: 'Every point ever awarded.' },
    MONTH: { description: 'The current calendar month, from the 1st at 00:00 UTC.' },
    WEEK: { description: 'The current ISO week, from Monday 00:00 UTC to Sunday 24:00 UTC.' },
  } satisfies Record<LeaderboardPeriod, { description: string }>,
});

const LeaderboardEntryRef = builder.objectRef<LeaderboardRow>('LeaderboardEntry').implement({
  description: 'One user’s place on a leaderboard.',
  fields: (t) => ({
    rank: t.exposeInt('rank', {
      description: 'Competition rank: users with equal points share a rank and the next rank is skipped (1, 2, 2, 4).',
    }),
    points: t.exposeInt('points', { description: 'Points in the window (and track).' }),
    solvedCount: t.exposeInt('solvedCount', { description: 'Items first solved in the window (and track).' }),
    displayName: t.exposeString('name', {
      description: 'The user’s name, or `Anonymous` for a user who opted out of leaderboards.',
    }),
    anonymous: t.exposeBoolean('anonymous', { description: 'Whether the user opted out and is shown anonymously.' }),
    isViewer: t.exposeBoolean('isViewer', { description: 'Whether this entry is you.' }),
    user: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'The user; null when anonymous or outside your organizations.',
      // findUnique calls of one tick are batched by Prisma into one statement.
      resolve: (query, row, _args, ctx) =>
        row.visible ? ctx.runtime.prisma.user.findUnique({ ...query, where: { id: row.userId } }) : null,
    }),
  }),
});

interface LeaderboardPage {
  board: Board;
  edges: { cursor: string; node: LeaderboardRow }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
}

const LeaderboardConnection = builder.connectionObject(
  {
    type: LeaderboardEntryRef,
    name: 'LeaderboardConnection',
    description: 'A page of a leaderboard, best first; within a tie, whoever got there first comes first.',
    fields: (t) => ({
      totalCount: t.int({
        description: TOTAL_COUNT_DESCRIPTION,
        resolve: (page, _args, ctx) => boardSize(ctx.runtime.prisma, (page as unknown as LeaderboardPage).board),
      }),
      viewerEntry: t.field({
        type: LeaderboardEntryRef,
        nullable: true,
        description: 'Your own entry, wherever it is; null when you have no points on this board.',
        resolve: (page, _args, ctx) =>
          ctx.viewer ? viewerRow(ctx.runtime.prisma, ctx.viewer, (page as unknown as LeaderboardPage).board) : null,
      }),
      windowStart: t.field({
        type: 'DateTime',
        description: 'When the window began (UTC); 1970-01-01 for ALL_TIME.',
        resolve: (page) => (page as unknown as LeaderboardPage).board.periodStart,
      }),
      windowEnd: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When the window ends (UTC, exclusive); null for ALL_TIME.',
        resolve: (page) => {
          const { board } = page as unknown as LeaderboardPage;
          return periodEnd(board.period, board.periodStart);
        },
      }),
    }),
  },
  { name: 'LeaderboardEdge', description: 'An entry in a page of a leaderboard.' },
);

const boardArgs = (t: Parameters<Parameters<typeof builder.queryField>[1]>[0]) => ({
  scope: t.arg({ type: LeaderboardScopeEnum, required: true, description: 'Whom to rank.' }),
  window: t.arg({ type: LeaderboardWindowEnum, required: true, description: 'Which points count (UTC windows).' }),
  track: t.arg({ type: TrackEnum, required: false, description: 'Only points earned on this track.' }),
  organizationId: t.arg.id({
    required: false,
    description: 'For ORGANIZATION: which of your organizations (global ID); default your first.',
  }),
  classId: t.arg.id({ required: false, description: 'For CLASS: the class (global ID); required there.' }),
});

type BoardArgs = {
  scope: LeaderboardScope;
  window: LeaderboardPeriod;
  track?: Track | null;
  organizationId?: string | null;
  classId?: string | null;
};

function decodeBoardArgs(args: BoardArgs) {
  return {
    scope: args.scope,
    period: args.window,
    track: args.track ?? null,
    organizationId: args.organizationId ? idOf('Organization', args.organizationId, ['organizationId']) : null,
    classId: args.classId ? idOf('Class', args.classId, ['classId']) : null,
  };
}

builder.queryField('leaderboard', (t) =>
  t.field({
    type: LeaderboardConnection,
    description:
      'A leaderboard: users ranked by points in a window, on one track or all. Students see the global board and those of their own organizations and classes. Users who opted out appear as `Anonymous`.',
    args: {
      ...boardArgs(t),
      first: t.arg.int({
        required: false,
        description: `Returns the first n entries (default 20, at most ${MAX_PAGE_SIZE}).`,
      }),
      after: t.arg.string({ required: false, description: 'Returns the entries after this cursor.' }),
    },
    errors: {
      types: [InvalidInputError, NotFoundError, ForbiddenError],
      directResult: true,
      union: { name: 'LeaderboardResult', description: 'The page of the leaderboard, or why it cannot be read.' },
    },
    resolve: async (_root, args, ctx) => {
      if (args.first !== null && args.first !== undefined && (args.first < 0 || args.first > MAX_PAGE_SIZE)) {
        throw InvalidInputError.at(['first'], `must be from 0 to ${MAX_PAGE_SIZE}`);
      }
      const viewer = requireViewer(ctx.viewer, SIGN_IN);
      const board = await resolveBoard(ctx.runtime.prisma, viewer, decodeBoardArgs(args as BoardArgs));
      const page = await resolveOffsetConnection(
        { args: { first: args.first ?? 20, after: args.after } },
        ({ offset, limit }) => boardPage(ctx.runtime.prisma, viewer, board, { offset, limit }),
      );
      return { ...page, board } as never;
    },
  }),
);

builder.subscriptionField('leaderboardChanged', (t) =>
  t.field({
    type: [LeaderboardEntryRef],
    description:
      'The top of a leaderboard: now, then again whenever it changes as points are awarded (at most one push per second per board).',
    args: {
      ...boardArgs(t as never),
      first: t.arg.int({
        required: false,
        description: `How many top entries (default 10, at most ${MAX_PAGE_SIZE}).`,
      }),
    },
    subscribe: async function* (_root, args, ctx) {
      const first = args.first ?? 10;
      if (first < 1 || first > MAX_PAGE_SIZE)
        throw InvalidInputError.at(['first'], `must be from 1 to ${MAX_PAGE_SIZE}`);
      const viewer = requireViewer(ctx.viewer, SIGN_IN);
      const board = await resolveBoard(ctx.runtime.prisma, viewer, decodeBoardArgs(args as BoardArgs));
      yield* ctx.runtime.leaderboards.follow(viewer, board, { first });
    },
    resolve: (rows) => rows,
  }),
);
