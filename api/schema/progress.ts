/**
 * Progress: where a user stands on each content item. Points, streaks and badges build on it;
 * their daily activity and points over time draw the Progress page's charts.
 */
import { z } from 'zod';
import { builder } from '../builder.js';
import { ProgressStatus } from '../generated/prisma/enums.js';
import { addDays, localDay } from '../rewards/local-day.js';
import { currentStreak } from '../rewards/streak.js';
import { historyOwnersWhere } from '../services/access.js';
import { TrackEnum } from './enums.js';

const ProgressStatusEnum = builder.enumType(ProgressStatus, {
  name: 'ProgressStatus',
  description: 'Where a user stands on one item.',
  values: {
    NOT_STARTED: { description: 'Never attempted.' },
    IN_PROGRESS: { description: 'Attempted, not solved yet.' },
    SOLVED: { description: 'Solved at least once.' },
  },
});

export const ContentProgressRef = builder.prismaObject('UserContentProgress', {
  name: 'ContentProgress',
  description: 'A user’s progress on one content item.',
  fields: (t) => ({
    status: t.expose('status', { type: ProgressStatusEnum, description: 'Where the user stands.' }),
    attemptsCount: t.exposeInt('attemptsCount', { description: 'Attempts started.' }),
    bestScore: t.exposeFloat('bestScore', { nullable: true, description: 'Best score from 0 to 1.' }),
    lastScore: t.exposeFloat('lastScore', { nullable: true, description: 'Latest score from 0 to 1.' }),
    timeSpentSeconds: t.exposeInt('timeSpentSeconds', { description: 'Time spent on the item, in seconds.' }),
    points: t.exposeInt('points', { description: 'Points earned on the item.' }),
    solvedAt: t.expose('solvedAt', { type: 'DateTime', nullable: true, description: 'When it was first solved.' }),
  }),
});

builder.prismaObjectFields('ContentItem', (t) => ({
  viewerProgress: t.field({
    type: ContentProgressRef,
    nullable: true,
    description: 'Your progress on this item; null when signed out or never attempted.',
    // Loaded with the item (one statement for the whole list), filtered to the viewer.
    select: (_args, ctx, nestedSelection) => ({
      progress: nestedSelection({
        where: { userId: ctx.viewer?.userId ?? '00000000-0000-0000-0000-000000000000' },
        take: 1,
      }),
    }),
    resolve: (item, _args, ctx) => (ctx.viewer ? (item.progress[0] ?? null) : null),
  }),
}));

builder.prismaObject('Badge', {
  description: 'A badge anyone can earn by crossing a threshold (defined by the seed).',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable key, e.g. `FIRST_SOLVE`.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { description: 'What earns it.' }),
    criterion: t.exposeString('criterion', {
      description: '`POINTS` (total points), `SOLVED_COUNT` (items solved) or `STREAK_DAYS` (longest streak).',
    }),
    threshold: t.exposeInt('threshold', { description: 'The total that earns it.' }),
  }),
});

builder.prismaObject('UserBadge', {
  name: 'EarnedBadge',
  description: 'A badge a user earned (once).',
  fields: (t) => ({
    badge: t.relation('badge', { description: 'The badge.' }),
    awardedAt: t.expose('awardedAt', { type: 'DateTime', description: 'When it was earned.' }),
  }),
});

builder.prismaObject('Achievement', {
  description:
    'A one-off accomplishment: `FIRST_SOLVE`, `STREAK_7` (7 days in a row) or `PERFECT_RUBRIC` (full marks on a rubric).',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'What was achieved.' }),
    detail: t.expose('detail', { type: 'JSON', description: 'Context, e.g. the content item or run.' }),
    achievedAt: t.expose('achievedAt', { type: 'DateTime', description: 'When.' }),
  }),
});

builder.prismaObject('UserMastery', {
  name: 'PatternMastery',
  description:
    'Mastery of one track and pattern: the sum of the best scores on the pattern’s published items over how many there are (an item not yet tried counts 0).',
  fields: (t) => ({
    track: t.expose('track', { type: TrackEnum, description: 'The track.' }),
    pattern: t.exposeString('pattern', { description: 'The pattern, e.g. `TWO_POINTERS`.' }),
    mastery: t.exposeFloat('mastery', { description: 'From 0 to 1.' }),
    evidenceCount: t.exposeInt('evidenceCount', {
      description: 'Test cases and rubric points passed in the evaluations behind it.',
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.prismaObjectFields('User', (t) => ({
  points: t.int({
    description: 'Points earned in all, on every track.',
    select: { leaderboardTotals: { where: { period: 'ALL_TIME', track: 'ALL' }, take: 1 } },
    resolve: (user) => user.leaderboardTotals[0]?.points ?? 0,
  }),
  solvedCount: t.int({
    description: 'Content items solved.',
    select: { leaderboardTotals: { where: { period: 'ALL_TIME', track: 'ALL' }, take: 1 } },
    resolve: (user) => user.leaderboardTotals[0]?.solvedCount ?? 0,
  }),
  currentStreak: t.int({
    description:
      'Consecutive local days (in `timeZone`) with at least one evaluated submission, ending today or yesterday; 0 once a day is missed.',
    select: { currentStreak: true, lastActiveOn: true, timeZone: true },
    resolve: (user) => currentStreak(user),
  }),
  longestStreak: t.exposeInt('longestStreak', {
    description: 'Longest run of consecutive local days with at least one evaluated submission.',
  }),
  badges: t.relation('badges', {
    description: 'Badges earned, oldest first.',
    query: { orderBy: [{ awardedAt: 'asc' }, { id: 'asc' }] },
  }),
  achievements: t.relation('achievements', {
    description: 'Achievements, oldest first.',
    query: { orderBy: [{ achievedAt: 'asc' }, { id: 'asc' }] },
  }),
  mastery: t.relation('mastery', {
    description: 'Mastery per track and pattern practised, by track and pattern.',
    query: { orderBy: [{ track: 'asc' }, { pattern: 'asc' }] },
  }),
}));

builder.prismaObjectFields('UserContentProgress', (t) => ({
  bestSubmission: t.relation('bestSubmission', {
    nullable: true,
    description: 'The submission with the best score.',
  }),
}));

/** How many local days the activity fields reach back by default (20 weeks: the calendar), and at most. */
const ACTIVITY_DAYS = { default: 140, most: 366 } as const;

const ActivityDayRef = builder.prismaObject('DailyActivity', {
  name: 'ActivityDay',
  description: 'One local day on which a user had at least one submission evaluated.',
  fields: (t) => ({
    day: t.string({
      description: 'The day, YYYY-MM-DD, in the user’s `timeZone`.',
      select: { day: true },
      resolve: (activity) => activity.day.toISOString().slice(0, 10),
    }),
    submissions: t.exposeInt('submissions', { description: 'Submissions evaluated that day.' }),
    solved: t.exposeInt('solved', { description: 'Content items first solved that day.' }),
    points: t.exposeInt('points', { description: 'Points their evaluations earned that day.' }),
  }),
});

/** One day of `User.pointsHistory`. */
interface PointsDay {
  day: string;
  points: number;
  total: number;
}

const PointsDayRef = builder.objectRef<PointsDay>('PointsDay').implement({
  description: 'A user’s points on one local day, and their total at its end.',
  fields: (t) => ({
    day: t.exposeString('day', { description: 'The day, YYYY-MM-DD, in the user’s `timeZone`.' }),
    points: t.exposeInt('points', { description: 'Points awarded that day (0 on a day without any).' }),
    total: t.exposeInt('total', { description: 'Points awarded in all by the end of the day.' }),
  }),
});

/** The first day (YYYY-MM-DD, local) of a window of `days` days ending today in `timeZone`. */
const windowStart = (timeZone: string, days: number, now = new Date()) => addDays(localDay(timeZone, now), 1 - days);

/** A window's length as asked, kept within bounds even before validation refuses it (selections are built first). */
const windowDays = (days: number | null | undefined) =>
  Math.min(ACTIVITY_DAYS.most, Math.max(1, Math.trunc(days ?? ACTIVITY_DAYS.default)));

const DAYS_VALIDATION = z
  .number()
  .int()
  .min(1, 'must be at least 1')
  .max(ACTIVITY_DAYS.most, `must be at most ${ACTIVITY_DAYS.most}`)
  .nullish();

builder.prismaObjectFields('User', (t) => ({
  dailyActivity: t.field({
    type: [ActivityDayRef],
    description:
      'Their active days within the last `days` local days (today included), oldest first; a day without an evaluated submission is left out. For themselves, their instructors and their admins (empty for anyone else).',
    args: {
      days: t.arg.int({
        required: false,
        defaultValue: ACTIVITY_DAYS.default,
        description: `How many days back, today included (1 to ${ACTIVITY_DAYS.most}; default ${ACTIVITY_DAYS.default}, 20 weeks).`,
        validate: DAYS_VALIDATION,
      }),
    },
    select: (args, ctx, nestedSelection) => ({
      timeZone: true,
      dailyActivity: nestedSelection({
        // The user's local today is known only once the row is read: one day more than asked,
        // from today in UTC (no time zone is a whole day away from it), trimmed below.
        where: {
          user: historyOwnersWhere(ctx.viewer),
          day: { gte: new Date(`${windowStart('UTC', windowDays(args.days) + 1)}T00:00:00Z`) },
        },
        orderBy: { day: 'asc' as const },
      }),
    }),
    resolve: async (user, args, ctx) => {
      const from = windowStart(user.timeZone, windowDays(args.days));
      const days = user.dailyActivity.filter((activity) => activity.day.toISOString().slice(0, 10) >= from);
      if (days.length > 0) await ctx.access.read(user.id);
      return days;
    },
  }),
  pointsHistory: t.field({
    type: [PointsDayRef],
    description:
      'Their points on each of the last `days` local days (today last), with the running total: every day, those without points too. Empty before their first points. For themselves, their instructors and their admins (empty for anyone else).',
    args: {
      days: t.arg.int({
        required: false,
        defaultValue: ACTIVITY_DAYS.default,
        description: `How many days back, today included (1 to ${ACTIVITY_DAYS.most}; default ${ACTIVITY_DAYS.default}).`,
        validate: DAYS_VALIDATION,
      }),
    },
    // The whole ledger, two columns: the total before the window is its sum, and it holds a few
    // rows per item solved (a solve, a time bonus, system-design credit), so it stays small.
    select: (_args, ctx) => ({
      timeZone: true,
      pointsLedger: {
        where: { user: historyOwnersWhere(ctx.viewer) },
        select: { points: true, createdAt: true },
      },
    }),
    resolve: async (user, args, ctx) => {
      if (user.pointsLedger.length === 0) return [];
      await ctx.access.read(user.id);
      const days = windowDays(args.days);
      const from = windowStart(user.timeZone, days);
      let total = 0;
      const byDay = new Map<string, number>();
      for (const award of user.pointsLedger) {
        const day = localDay(user.timeZone, award.createdAt);
        if (day < from) total += award.points;
        else byDay.set(day, (byDay.get(day) ?? 0) + award.points);
      }
      return Array.from({ length: days }, (_, i) => {
        const day = addDays(from, i);
        const points = byDay.get(day) ?? 0;
        total += points;
        return { day, points, total };
      });
    },
  }),
}));
