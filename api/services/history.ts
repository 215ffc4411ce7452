/**
 * Learning history: one timeline, newest first, of a student's drafts, code runs (on their
 * own input), submissions, evaluation runs, coach turns, LLM calls and adaptive tests; the LLM call log; and the access log that
 * records every read of another person's history.
 *
 * The timeline is paged with a keyset over (time, kind, id): one `UNION ALL` statement
 * finds a page's entries, then one `findMany` per kind loads their rows, so a page costs
 * the same number of statements whatever its size.
 */
import { z } from 'zod';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { InvalidInputError, NotFoundError, parseInput } from '../errors.js';
import {
  type AdaptiveTestSession,
  type CodeRun,
  type EvaluationRun,
  type LlmInteraction,
  Prisma,
  type SocraticTurn,
  type SolutionSnapshot,
  type Submission,
} from '../generated/prisma/client.js';
import { adminOrganizationIds, historyOwnersWhere, managedClassesWhere, teachesClassWhere } from './access.js';

/** What a read of someone's history is logged as (`AccessLog.resource`). */
export const ACCESS_RESOURCES = {
  LEARNING_HISTORY: 'LEARNING_HISTORY',
  LLM_INTERACTIONS: 'LLM_INTERACTIONS',
} as const;
export type AccessResource = (typeof ACCESS_RESOURCES)[keyof typeof ACCESS_RESOURCES];

/** Page size when `first` is not given. */
export const DEFAULT_HISTORY_PAGE_SIZE = 20;
/** Largest page of the timeline. */
export const MAX_HISTORY_PAGE_SIZE = 100;

/** The kinds of timeline entries; each is a table and a GraphQL type of the same name. */
export const TIMELINE_KINDS = [
  'AdaptiveTestSession',
  'CodeRun',
  'EvaluationRun',
  'LlmInteraction',
  'SocraticTurn',
  'SolutionSnapshot',
  'Submission',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One entry of the timeline, before its row is loaded. */
export interface TimelineKey {
  kind: TimelineKind;
  id: string;
  /** When it happened: `createdAt`, `queuedAt` for an evaluation run, `startedAt` for an adaptive test. */
  at: Date;
}

/** The row behind each kind of entry. */
export interface TimelineRows {
  AdaptiveTestSession: AdaptiveTestSession;
  CodeRun: CodeRun;
  EvaluationRun: EvaluationRun;
  LlmInteraction: LlmInteraction;
  SocraticTurn: SocraticTurn;
  SolutionSnapshot: SolutionSnapshot;
  Submission: Submission;
}

/** A loaded entry: its key and its row. */
export type TimelineEntry = {
  [K in TimelineKind]: TimelineKey & { kind: K; row: TimelineRows[K] };
}[TimelineKind];

/** Opaque cursor of an entry. */
export function encodeTimelineCursor(key: TimelineKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.kind, key.id])).toString('base64url');
}

const cursorSchema = z.tuple([z.iso.datetime({ offset: true }), z.enum(TIMELINE_KINDS), z.uuid()]);

/** Decodes a cursor made by `encodeTimelineCursor`, or fails with InvalidInput at `after`. */
export function decodeTimelineCursor(cursor: string): TimelineKey {
  try {
    const [at, kind, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { at: new Date(at), kind, id };
  } catch {
    throw InvalidInputError.at(['after'], 'is not a cursor of this timeline');
  }
}

/** Why anonymous visitors are refused. */
const SIGN_IN = 'Sign in to read learning history.';

/**
 * The organization through which the viewer may read each subject's history: that of a
 * class they teach the subject in, else one they administer the subject in. Subjects the
 * viewer may not read are missing from the map.
 */
export async function accessOrganizations(
  prisma: PrismaClient,
  viewer: Viewer,
  subjectIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(subjectIds)].filter((id) => id !== viewer.userId);
  const result = new Map<string, string>();
  if (ids.length === 0) return result;
  const adminOf = adminOrganizationIds(viewer);
  const [taught, administered] = await Promise.all([
    prisma.enrollment.findMany({
      where: { userId: { in: ids }, role: 'STUDENT', class: teachesClassWhere(viewer) },
      select: { userId: true, class: { select: { organizationId: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
    adminOf.length > 0
      ? prisma.membership.findMany({
          where: { userId: { in: ids }, organizationId: { in: adminOf } },
          select: { userId: true, organizationId: true },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        })
      : [],
  ]);
  for (const row of taught) if (!result.has(row.userId)) result.set(row.userId, row.class.organizationId);
  for (const row of administered) if (!result.has(row.userId)) result.set(row.userId, row.organizationId);
  return result;
}

/** `accessOrganizations` for one subject, in one statement in the common case (an instructor). */
async function accessOrganizationOf(
  prisma: PrismaClient,
  viewer: Viewer,
  subjectId: string,
): Promise<string | undefined> {
  const taught = await prisma.class.findFirst({
    where: { AND: [teachesClassWhere(viewer), { enrollments: { some: { userId: subjectId, role: 'STUDENT' } } }] },
    select: { organizationId: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  if (taught) return taught.organizationId;
  const adminOf = adminOrganizationIds(viewer);
  if (adminOf.length === 0) return undefined;
  const membership = await prisma.membership.findFirst({
    where: { userId: subjectId, organizationId: { in: adminOf } },
    select: { organizationId: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return membership?.organizationId;
}

/** Writes one AccessLog row per subject: the viewer read their `resource`. */
export async function recordAccess(
  prisma: PrismaClient,
  viewer: Viewer,
  resource: AccessResource,
  subjects: ReadonlyMap<string, string>,
): Promise<void> {
  const data = [...subjects]
    .filter(([subjectId]) => subjectId !== viewer.userId)
    .map(([subjectId, organizationId]) => ({ viewerId: viewer.userId, subjectId, organizationId, resource }));
  if (data.length > 0) await prisma.accessLog.createMany({ data });
}

/** What a timeline read asks for; IDs are database IDs. */
export interface LearningHistoryArgs {
  studentId: string;
  classId?: string | null | undefined;
  contentItemId?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

const pageSchema = z.object({
  first: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(MAX_HISTORY_PAGE_SIZE, `must be at most ${MAX_HISTORY_PAGE_SIZE}`)
    .nullish(),
});

/** A page of the timeline: keys in order, whether more follow, and the whole timeline's size. */
export interface TimelinePage {
  keys: TimelineKey[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/**
 * Checks that the viewer may read the student's history (optionally within a class), and
 * returns the organization through which they read someone else's, or null for their own;
 * logging the read is the caller's (`AccessRecorder.readTimeline`). Students read their own
 * history (within a class they are enrolled in); instructors the history of students of the
 * classes they teach; admins that of their organizations' members. A student or class the
 * viewer may not read is NotFound, so that nobody learns who exists elsewhere.
 */
export async function authorizeHistoryRead(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  args: { studentId: string; classId?: string | null | undefined },
): Promise<string | null> {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  const own = args.studentId === viewer.userId;
  if (!own) {
    const student = await prisma.user.findFirst({
      where: { id: args.studentId, AND: [historyOwnersWhere(viewer)] },
      select: { id: true },
    });
    if (!student) throw new NotFoundError('User', 'No student with this ID whose history you may read.');
  }
  let organizationId: string | undefined;
  if (args.classId) {
    const cls = await prisma.class.findFirst({
      where: own
        ? { id: args.classId, enrollments: { some: { userId: viewer.userId } } }
        : {
            id: args.classId,
            enrollments: { some: { userId: args.studentId, role: 'STUDENT' } },
            AND: [managedClassesWhere(viewer)],
          },
      select: { organizationId: true },
    });
    if (!cls) throw new NotFoundError('Class', 'No class with this ID that you teach and the student takes.');
    organizationId = cls.organizationId;
  }
  if (own) return null;
  organizationId ??= await accessOrganizationOf(prisma, viewer, args.studentId);
  // historyOwnersWhere granted the read, so an organization links the two; guard anyway.
  if (!organizationId) throw new NotFoundError('User', 'No student with this ID whose history you may read.');
  return organizationId;
}

/** The `UNION ALL` of every entry of one student's timeline, with the given filters. */
function timelineSql(args: LearningHistoryArgs): Prisma.Sql {
  const student = Prisma.sql`${args.studentId}::uuid`;
  const filters: Prisma.Sql[] = [];
  if (args.contentItemId) filters.push(Prisma.sql`a."contentItemId" = ${args.contentItemId}::uuid`);
  if (args.classId) {
    filters.push(
      Prisma.sql`a."contentItemId" IN (SELECT s."contentItemId" FROM "Assignment" s WHERE s."classId" = ${args.classId}::uuid)`,
    );
  }
  const attempts = Prisma.sql`SELECT a."id" FROM "Attempt" a WHERE a."userId" = ${student}${
    filters.length > 0 ? Prisma.sql` AND ${Prisma.join(filters, ' AND ')}` : Prisma.empty
  }`;
  // LLM calls outside any attempt (rubric calls may have none) and adaptive tests (on no
  // content item) belong to the unfiltered timeline only.
  const llmFilter = filters.length > 0 ? Prisma.sql` AND "attemptId" IN (${attempts})` : Prisma.empty;
  const sessions =
    filters.length > 0
      ? Prisma.empty
      : Prisma.sql`
    UNION ALL
    SELECT 'AdaptiveTestSession'::text, "id", "startedAt" FROM "AdaptiveTestSession" WHERE "userId" = ${student}`;
  return Prisma.sql`
    SELECT 'SolutionSnapshot'::text AS kind, "id", "createdAt" AS at FROM "SolutionSnapshot" WHERE "attemptId" IN (${attempts})
    UNION ALL
    SELECT 'Submission'::text, "id", "createdAt" FROM "Submission" WHERE "attemptId" IN (${attempts})
    UNION ALL
    SELECT 'CodeRun'::text, "id", "createdAt" FROM "CodeRun" WHERE "attemptId" IN (${attempts})
    UNION ALL
    SELECT 'EvaluationRun'::text, "id", "queuedAt" FROM "EvaluationRun" WHERE "attemptId" IN (${attempts})
    UNION ALL
    SELECT 'SocraticTurn'::text, "id", "createdAt" FROM "SocraticTurn" WHERE "attemptId" IN (${attempts})
    UNION ALL
    SELECT 'LlmInteraction'::text, "id", "createdAt" FROM "LlmInteraction" WHERE "userId" = ${student}${llmFilter}${sessions}`;
}

/**
 * One page of a student's timeline, newest first (ties broken by kind and id), after the
 * cursor. Does not check access: call `authorizeHistoryRead` first.
 */
export async function timelinePage(prisma: PrismaClient, args: LearningHistoryArgs): Promise<TimelinePage> {
  const { first } = parseInput(pageSchema, { first: args.first }, []);
  const size = first ?? DEFAULT_HISTORY_PAGE_SIZE;
  const after = args.after ? decodeTimelineCursor(args.after) : null;
  const events = timelineSql(args);
  const totalCount = async () => {
    const [row] = await prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM (${events}) e`;
    return Number(row?.count ?? 0);
  };
  if (size === 0) return { keys: [], hasNextPage: false, totalCount };
  const keyset = after
    ? Prisma.sql`WHERE (e.at, e.kind, e."id") < (${after.at}::timestamptz, ${after.kind}::text, ${after.id}::uuid)`
    : Prisma.empty;
  const rows = await prisma.$queryRaw<{ kind: TimelineKind; id: string; at: Date }[]>`
    SELECT e.kind, e."id"::text AS id, e.at FROM (${events}) e
    ${keyset}
    ORDER BY e.at DESC, e.kind DESC, e."id" DESC
    LIMIT ${size + 1}`;
  return {
    keys: rows.slice(0, size).map((row) => ({ kind: row.kind, id: row.id, at: new Date(row.at) })),
    hasNextPage: rows.length > size,
    totalCount,
  };
}

/** The select or include each kind's rows are loaded with (e.g. what a GraphQL selection needs). */
export type TimelineQueries = {
  [K in TimelineKind]?: { select?: object; include?: object };
};

/**
 * Loads the rows behind a page's keys, one `findMany` per kind present, in the keys'
 * order. An entry deleted since the page was read is left out.
 */
export async function loadTimelineEntries(
  prisma: PrismaClient,
  keys: readonly TimelineKey[],
  queries: TimelineQueries = {},
): Promise<TimelineEntry[]> {
  // Each delegate takes its own argument type; the selections come from the caller untyped.
  type FindMany<K extends TimelineKind> = (args: { where: { id: { in: string[] } } }) => Promise<TimelineRows[K][]>;
  const load = async <K extends TimelineKind>(
    kind: K,
    findMany: FindMany<K>,
  ): Promise<[K, Map<string, TimelineRows[K]>]> => {
    const ids = keys.filter((key) => key.kind === kind).map((key) => key.id);
    const rows = ids.length > 0 ? await findMany({ ...queries[kind], where: { id: { in: ids } } }) : [];
    return [kind, new Map(rows.map((row) => [row.id, row]))];
  };
  const loaded = await Promise.all([
    load('AdaptiveTestSession', (args) =>
      prisma.adaptiveTestSession.findMany(args as Prisma.AdaptiveTestSessionFindManyArgs),
    ),
    load('CodeRun', (args) => prisma.codeRun.findMany(args as Prisma.CodeRunFindManyArgs)),
    load('EvaluationRun', (args) => prisma.evaluationRun.findMany(args as Prisma.EvaluationRunFindManyArgs)),
    load('LlmInteraction', (args) => prisma.llmInteraction.findMany(args as Prisma.LlmInteractionFindManyArgs)),
    load('SocraticTurn', (args) => prisma.socraticTurn.findMany(args as Prisma.SocraticTurnFindManyArgs)),
    load('SolutionSnapshot', (args) => prisma.solutionSnapshot.findMany(args as Prisma.SolutionSnapshotFindManyArgs)),
    load('Submission', (args) => prisma.submission.findMany(args as Prisma.SubmissionFindManyArgs)),
  ]);
  const byKind = new Map<TimelineKind, Map<string, TimelineRows[TimelineKind]>>(loaded);
  return keys.flatMap((key) => {
    const row = byKind.get(key.kind)?.get(key.id);
    return row ? [{ ...key, row } as TimelineEntry] : [];
  });
}

/** Filters of the LLM call log; IDs are database IDs. */
export interface LlmInteractionFilter {
  studentId?: string | null | undefined;
  classId?: string | null | undefined;
  contentItemId?: string | null | undefined;
  model?: string | null | undefined;
  from?: Date | null | undefined;
  to?: Date | null | undefined;
}

/**
 * The LLM calls the viewer may read (their own, and those of the people whose history they
 * may read), narrowed by the filter. A student the viewer may not read simply matches nothing.
 */
export function llmInteractionsWhere(
  viewerOrNull: Viewer | null,
  filter: LlmInteractionFilter | null | undefined,
): Prisma.LlmInteractionWhereInput {
  const viewer = requireViewer(viewerOrNull, SIGN_IN);
  if (filter?.from && filter.to && filter.from > filter.to) {
    throw InvalidInputError.at(['filter', 'to'], 'must not be before `from`');
  }
  const and: Prisma.LlmInteractionWhereInput[] = [{ user: historyOwnersWhere(viewer) }];
  if (filter?.studentId) and.push({ userId: filter.studentId });
  if (filter?.contentItemId) and.push({ attempt: { contentItemId: filter.contentItemId } });
  if (filter?.classId) {
    and.push({
      user: { enrollments: { some: { classId: filter.classId } } },
      attempt: { contentItem: { assignments: { some: { classId: filter.classId } } } },
    });
  }
  if (filter?.model) and.push({ model: filter.model });
  if (filter?.from) and.push({ createdAt: { gte: filter.from } });
  if (filter?.to) and.push({ createdAt: { lt: filter.to } });
  return { AND: and };
}

/** The access log an admin reads: every entry of the organizations they administer. */
export function accessLogWhere(viewer: Viewer | null): Prisma.AccessLogWhereInput {
  const adminOf = viewer ? adminOrganizationIds(viewer) : [];
  return { organizationId: { in: adminOf } };
}
