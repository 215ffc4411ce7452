/** Progress: where a user stands on each content item. Points, streaks and badges build on it. */
import { builder } from '../builder.js';
import { ProgressStatus } from '../generated/prisma/enums.js';

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
