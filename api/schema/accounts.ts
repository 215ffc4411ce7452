/** Sign-up and log-in. */
import { builder } from '../builder.js';
import { EmailTakenError, InvalidCredentialsError, InvalidInputError, ForbiddenError } from '../errors.js';
import { loadViewer, logIn, signUp } from '../services/accounts.js';
import type { Context } from '../context.js';
import type { User } from '../generated/prisma/client.js';
import { UserRef } from './user.js';

/** The rest of this operation runs as the user who just signed in. */
async function signedIn(ctx: Context, user: User): Promise<{ token: string; user: User }> {
  ctx.viewer = await loadViewer(ctx.runtime.prisma, { userId: user.id });
  return { token: await ctx.runtime.tokens.sign(user.id), user };
}

const AuthPayload = builder.objectRef<{ token: string; user: User }>('AuthPayload').implement({
  description: 'A signed-in session: the access token and its user.',
  fields: (t) => ({
    token: t.exposeString('token', {
      description:
        'Access token (JWT): send it as `Authorization: Bearer <token>`, or as `authorization` in graphql-ws `connectionParams`.',
    }),
    user: t.field({ type: UserRef, description: 'The signed-in user.', resolve: (payload) => payload.user }),
  }),
});

const SignUpInput = builder.inputType('SignUpInput', {
  description: 'A new account.',
  fields: (t) => ({
    email: t.string({ required: true, description: 'Email address; used to log in.' }),
    password: t.string({ required: true, description: 'At least 8 characters.' }),
    name: t.string({ required: true, description: 'Display name.' }),
    organizationSlug: t.string({
      required: false,
      description: 'Join this organization as a student (it must accept sign-ups).',
    }),
  }),
});

const LogInInput = builder.inputType('LogInInput', {
  description: 'Credentials of an existing account.',
  fields: (t) => ({
    email: t.string({ required: true, description: 'Email address of the account.' }),
    password: t.string({ required: true, description: 'Its password.' }),
  }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description:
      'Creates an account and signs it in. Retrying with the same email and password returns the same account.',
    args: { input: t.arg({ type: SignUpInput, required: true, description: 'The new account.' }) },
    errors: {
      types: [InvalidInputError, EmailTakenError, ForbiddenError],
      directResult: true,
      union: { name: 'SignUpResult', description: 'The session, or why the account was not created.' },
    },
    resolve: async (_root, { input }, ctx) => {
      return signedIn(ctx, await signUp(ctx.runtime.prisma, input));
    },
  }),
  logIn: t.field({
    type: AuthPayload,
    description: 'Signs in with email and password.',
    args: { input: t.arg({ type: LogInInput, required: true, description: 'The credentials.' }) },
    errors: {
      types: [InvalidInputError, InvalidCredentialsError],
      directResult: true,
      union: { name: 'LogInResult', description: 'The session, or why signing in failed.' },
    },
    resolve: async (_root, { input }, ctx) => {
      return signedIn(ctx, await logIn(ctx.runtime.prisma, input));
    },
  }),
}));
