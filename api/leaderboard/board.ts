/**
 * Leaderboards, read from the per-user totals (LeaderboardTotal) kept with the ledger:
 * points and solves in a window (all time, the UTC calendar month, the ISO week), on one
 * track or all, among everyone, an organization's members or a class's students. Ranking is
 * competition ranking (1, 2, 2, 4); within a tie, whoever got there first comes first.
 */
import type { Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Track } from '../generated/prisma/enums.js';
import { type LeaderboardPeriod, periodStart } from './periods.js';

export const LEADERBOARD_SCOPES = ['GLOBAL', 'ORGANIZATION', 'CLASS'] as const;
export type LeaderboardScope = (typeof LEADERBOARD_SCOPES)[number];

/** A board the viewer may read. */
export interface Board {
  scope: LeaderboardScope;
  period: LeaderboardPeriod;
  track: Track | null;
  organizationId: string | null;
  classId: string | null;
  /** When the window starts (UTC). */
  periodStart: Date;
}

/** One row of a board. */
export interface LeaderboardRow {
  rank: number;
  userId: string;
  name: string;
  points: number;
  solvedCount: number;
  /** Shown as anonymous: the user opted out and is not the viewer. */
  anonymous: boolean;
  /** The viewer may look the user up (themselves, or a member of one of their organizations). */
  visible: boolean;
  isViewer: boolean;
}

/** Checks that the (signed-in) viewer may read the board asked for, and pins its window to now. */
export async function resolveBoard(
  prisma: PrismaClient,
  viewer: Viewer,
  args: {
    scope: LeaderboardScope;
    period: LeaderboardPeriod;
    track?: Track | null;
    organizationId?: string | null;
    classId?: string | null;
  },
  now = new Date(),
): Promise<Board> {
  const base = {
    scope: args.scope,
    period: args.period,
    track: args.track ?? null,
    periodStart: periodStart(args.period, now),
  };
  if (args.scope === 'GLOBAL') return { ...base, organizationId: null, classId: null };
  if (args.scope === 'ORGANIZATION') {
    const organizationId = args.organizationId ?? [...viewer.roles.keys()][0];
    if (!organizationId || !viewer.roles.has(organizationId)) throw new NotFoundError('Organization');
    return { ...base, organizationId, classId: null };
  }
  if (!args.classId) throw InvalidInputError.at(['classId'], 'is required for a CLASS leaderboard');
  const cls = await prisma.class.findFirst({
    where: {
      id: args.classId,
      OR: [
        { enrollments: { some: { userId: viewer.userId } } },
        { organizationId: { in: [...viewer.roles].filter(([, role]) => role === 'ADMIN').map(([id]) => id) } },
      ],
    },
    select: { id: true, organizationId: true },
  });
  if (!cls) throw new NotFoundError('Class');
  return { ...base, organizationId: cls.organizationId, classId: cls.id };
}

/** The board's rows (totals above zero, scoped), as SQL to build on. */
function boardRows(board: Board): Prisma.Sql {
  const scope =
    board.scope === 'CLASS'
      ? Prisma.sql`JOIN "Enrollment" e ON e."userId" = t."userId" AND e."classId" = ${board.classId}::uuid AND e."role" = 'STUDENT'`
      : board.scope === 'ORGANIZATION'
        ? Prisma.sql`JOIN "Membership" m ON m."userId" = t."userId" AND m."organizationId" = ${board.organizationId}::uuid`
        : Prisma.empty;
  return Prisma.sql`
    SELECT t."userId", t."points", t."solvedCount", t."lastAwardAt"
    FROM "LeaderboardTotal" t ${scope}
    WHERE t."period" = ${board.period} AND t."periodStart" = ${board.periodStart}::date
      AND t."track" = ${board.track ?? 'ALL'} AND t."points" > 0`;
}

/** How many users are on the board. */
export async function boardSize(prisma: PrismaClient, board: Board): Promise<number> {
  const [row] = await prisma.$queryRaw<
    { count: number }[]
  >`SELECT COUNT(*)::int AS "count" FROM (${boardRows(board)}) b`;
  return row?.count ?? 0;
}

/** 1 + how many users on the board have more than `points`: competition rank. */
async function rankOf(prisma: PrismaClient, board: Board, points: number): Promise<number> {
  const [row] = await prisma.$queryRaw<{ above: number }[]>`
    SELECT COUNT(*)::int AS "above" FROM (${boardRows(board)}) b WHERE b."points" > ${points}`;
  return (row?.above ?? 0) + 1;
}

/** A board row before it is shown to a viewer: the same for everyone who reads the board. */
export interface BoardEntry {
  rank: number;
  userId: string;
  points: number;
  solvedCount: number;
  name: string;
  optOut: boolean;
  /** The user's organizations (whether a viewer may look the user up depends on them). */
  organizationIds: string[];
}

type RawRow = Omit<BoardEntry, 'rank'>;

/** Shows a board entry to `viewer`: opted-out users are anonymous to others; users are visible within shared organizations. */
export function toRow(entry: BoardEntry, viewer: Viewer): LeaderboardRow {
  const isViewer = entry.userId === viewer.userId;
  const anonymous = entry.optOut && !isViewer;
  return {
    rank: entry.rank,
    userId: entry.userId,
    name: anonymous ? 'Anonymous' : entry.name,
    points: entry.points,
    solvedCount: entry.solvedCount,
    anonymous,
    visible: !anonymous && (isViewer || entry.organizationIds.some((id) => viewer.roles.has(id))),
    isViewer,
  };
}

function withUsers(board: Board): Prisma.Sql {
  return Prisma.sql`
    SELECT b."userId", b."points", b."solvedCount", b."lastAwardAt", u."name", u."leaderboardOptOut" AS "optOut",
      ARRAY(SELECT m."organizationId"::text FROM "Membership" m WHERE m."userId" = u."id") AS "organizationIds"
    FROM (${boardRows(board)}) b JOIN "User" u ON u."id" = b."userId"`;
}

/** A page of the board's entries, in rank order (the same for every viewer). */
export async function boardEntries(
  prisma: PrismaClient,
  board: Board,
  page: { offset: number; limit: number },
): Promise<BoardEntry[]> {
  const raws = await prisma.$queryRaw<RawRow[]>`
    ${withUsers(board)}
    ORDER BY b."points" DESC, b."lastAwardAt" ASC, b."userId" ASC
    LIMIT ${page.limit} OFFSET ${page.offset}`;
  const first = raws[0];
  if (!first) return [];
  // One count for the page: a row tied with the one before shares its rank, any other row's
  // rank is its position.
  let rank = await rankOf(prisma, board, first.points);
  return raws.map((raw, index) => {
    const previous = raws[index - 1];
    if (previous && previous.points !== raw.points) rank = page.offset + index + 1;
    return { ...raw, rank };
  });
}

/** A page of the board as `viewer` sees it, in rank order. */
export async function boardPage(
  prisma: PrismaClient,
  viewer: Viewer,
  board: Board,
  page: { offset: number; limit: number },
): Promise<LeaderboardRow[]> {
  return (await boardEntries(prisma, board, page)).map((entry) => toRow(entry, viewer));
}

/** The viewer's own row, or null when they have no points on this board. */
export async function viewerRow(prisma: PrismaClient, viewer: Viewer, board: Board): Promise<LeaderboardRow | null> {
  const [raw] = await prisma.$queryRaw<RawRow[]>`${withUsers(board)} WHERE b."userId" = ${viewer.userId}::uuid`;
  return raw ? toRow({ ...raw, rank: await rankOf(prisma, board, raw.points) }, viewer) : null;
}
