/** The typed errors mutations return in their result unions, all implementing `Error`. */
import { builder } from '../builder.js';
import {
  type AppError,
  ConflictError,
  EmailTakenError,
  ExpiredError,
  ForbiddenError,
  type InputIssue,
  InvalidCredentialsError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
} from '../errors.js';

export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description: 'An expected failure; every error type in a result union implements it.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, for people.' }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFound',
  description: 'The object does not exist or is not visible to you.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'Kind of object that was not found.' }),
  }),
});

builder.objectType(ForbiddenError, {
  name: 'Forbidden',
  description: 'You are signed in but your role does not allow this.',
  interfaces: [ErrorInterface],
});

const InputIssueRef = builder.objectRef<InputIssue>('InputIssue').implement({
  description: 'One problem with one input field.',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Path of the field, e.g. `["input", "email"]`.' }),
    message: t.exposeString('message', { description: 'What is wrong with it.' }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInput',
  description: 'The input is malformed; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    path: t.stringList({
      description: 'Path of the first bad field, e.g. `["input", "email"]`.',
      resolve: (error) => error.issues[0]?.path ?? [],
    }),
    issues: t.field({ type: [InputIssueRef], description: 'Every bad field.', resolve: (error) => error.issues }),
  }),
});

builder.objectType(ConflictError, {
  name: 'Conflict',
  description: 'The request clashes with what is already stored; nothing was written.',
  interfaces: [ErrorInterface],
});

builder.objectType(InvalidCredentialsError, {
  name: 'InvalidCredentials',
  description: 'The email or password is incorrect.',
  interfaces: [ErrorInterface],
});

builder.objectType(EmailTakenError, {
  name: 'EmailTaken',
  description: 'An account with this email already exists: log in instead.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    email: t.exposeString('email', { description: 'The email that is taken.' }),
  }),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimited',
  description: 'A limit was reached; nothing was written. Try again at `retryAt`.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    limit: t.exposeString('limit', {
      description: 'Which limit, e.g. `COACH_TURNS_PER_MINUTE` or `COACH_DAILY_TOKENS`.',
    }),
    retryAt: t.expose('retryAt', { type: 'DateTime', description: 'When the request may be made again.' }),
    retryAfterSeconds: t.int({
      description: 'Seconds from now until `retryAt` (at least 1).',
      resolve: (error) => Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000)),
    }),
  }),
});

/** The errors every write can return; add the field's own on top. */
export const COMMON_ERRORS = [InvalidInputError, NotFoundError, ForbiddenError] as const;

builder.objectType(ExpiredError, {
  name: 'Expired',
  description: 'It has expired (an adaptive test left idle too long): it can be read, not changed.',
  interfaces: [ErrorInterface],
});
