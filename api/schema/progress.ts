/** Progress: where a user stands on each content item. Points, streaks and badges build on it. */
import { builder } from '../builder.js';
import { ProgressStatus } from '../generated/prisma/enums.js';
import { currentStreak } from '../rewards/streak.js';
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
