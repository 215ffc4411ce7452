/** Users and the `viewer` root field. */
import { builder } from '../builder.js';
import { updateProfile, visibleUsersWhere } from '../services/users.js';
import { COMMON_ERRORS } from './errors.js';

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  // Not found or not visible: `node(id)` answers null, never an error that reveals existence.
  nullable: true,
  description: 'A person who practices, teaches or administers.',
  // By global ID a user is found by themselves and by people sharing an organization.
  findUnique: (id, ctx) => ({ id, AND: [visibleUsersWhere(ctx.viewer)] }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    isDemo: t.exposeBoolean('isDemo', {
      description: 'A demo account of the seed: its past activity (solves, points, streak, path) is made up.',
    }),
    email: t.string({
      description: 'Email address; visible to the user themselves only (null for others).',
      nullable: true,
      select: { email: true },
      resolve: (user, _args, ctx) => (ctx.viewer?.userId === user.id ? user.email : null),
    }),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone used for daily activity and streaks.' }),
    leaderboardOptOut: t.exposeBoolean('leaderboardOptOut', {
      description: 'Whether the user is shown as anonymous on leaderboards (to everyone but themselves).',
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
      ctx.viewer ? ctx.runtime.prisma.user.findUnique({ ...query, where: { id: ctx.viewer.userId } }) : null,
  }),
);

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Changes to your profile; fields left out stay as they are.',
  fields: (t) => ({
    name: t.string({ required: false, description: 'Display name.' }),
    timeZone: t.string({
      required: false,
      description: 'IANA time zone, e.g. `Europe/Paris`: your days (streaks, daily activity, coach budget) follow it.',
    }),
    leaderboardOptOut: t.boolean({
      required: false,
      description: 'True to appear as anonymous on leaderboards (to everyone but yourself).',
    }),
  }),
});

builder.mutationField('updateProfile', (t) =>
  t.prismaField({
    type: 'User',
    description: 'Changes your own profile. Sending the same values again changes nothing.',
    args: { input: t.arg({ type: UpdateProfileInput, required: true, description: 'The changes.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'UpdateProfileResult', description: 'Your profile, or why it was not changed.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const user = await updateProfile(ctx.runtime.prisma, ctx.viewer, input);
      return ctx.runtime.prisma.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
);
