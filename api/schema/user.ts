/** Users and the `viewer` root field. */
import { builder } from '../builder.js';
import { visibleUsersWhere } from '../services/users.js';

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  // Not found or not visible: `node(id)` answers null, never an error that reveals existence.
  nullable: true,
  description: 'A person who practices, teaches or administers.',
  // By global ID a user is found by themselves and by people sharing an organization.
  findUnique: (id, ctx) => ({ id, AND: [visibleUsersWhere(ctx.viewer)] }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    email: t.string({
      description: 'Email address; visible to the user themselves only (null for others).',
      nullable: true,
      select: { email: true },
      resolve: (user, _args, ctx) => (ctx.viewer?.userId === user.id ? user.email : null),
    }),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone used for daily activity and streaks.' }),
    currentStreak: t.exposeInt('currentStreak', { description: 'Consecutive local days with activity, up to today.' }),
    longestStreak: t.exposeInt('longestStreak', {
      description: 'Longest run of consecutive local days with activity.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the account was created.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in user; null for anonymous visitors.',
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer ? ctx.prisma.user.findUnique({ ...query, where: { id: ctx.viewer.userId } }) : null,
  }),
);
