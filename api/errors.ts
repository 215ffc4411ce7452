/**
 * Expected failures, free of GraphQL: services throw these, and the schema exposes each
 * as a typed member of a mutation's result union. Anything else is unexpected and masked.
 */
import type { z } from 'zod';

/** Base of every expected failure. */
export class AppError extends Error {
  override name = 'AppError';
}

/** The object does not exist, or the viewer may not know that it does. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(
    readonly resource: string,
    message = `${resource} not found.`,
  ) {
    super(message);
  }
}

/** The viewer is known but lacks the role for this action. */
export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
}

/** One problem with the input, at a path such as `["input", "email"]`. */
export interface InputIssue {
  path: string[];
  message: string;
}

/** The input is malformed; `issues` names every bad field. */
export class InvalidInputError extends AppError {
  override name = 'InvalidInputError';
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }

  /** A single bad field. */
  static at(path: string[], message: string): InvalidInputError {
    return new InvalidInputError([{ path, message }]);
  }
}

/** The request clashes with the current state (e.g. an idempotency key reused with another payload). */
export class ConflictError extends AppError {
  override name = 'ConflictError';
}

/** A limit was reached; the request may be made again at `retryAt`. */
export class RateLimitedError extends AppError {
  override name = 'RateLimitedError';
  constructor(
    /** Which limit, e.g. `COACH_TURNS_PER_MINUTE`. */
    readonly limit: string,
    readonly retryAt: Date,
    message: string,
  ) {
    super(message);
  }
}

/** Unknown email or wrong password (deliberately not saying which). */
export class InvalidCredentialsError extends AppError {
  override name = 'InvalidCredentialsError';
  constructor() {
    super('The email or password is incorrect.');
  }
}

/** An account with this email already exists. */
export class EmailTakenError extends AppError {
  override name = 'EmailTakenError';
  constructor(readonly email: string) {
    super(`An account with the email ${email} already exists.`);
  }
}

/** The thing acted on has expired (an adaptive test left idle too long); it can be read, not changed. */
export class ExpiredError extends AppError {
  override name = 'ExpiredError';
}

const EXPECTED_CODES: Record<string, string> = {
  NotFoundError: 'NOT_FOUND',
  ForbiddenError: 'FORBIDDEN',
  InvalidInputError: 'BAD_USER_INPUT',
  ConflictError: 'CONFLICT',
  RateLimitedError: 'RATE_LIMITED',
  InvalidCredentialsError: 'UNAUTHENTICATED',
  EmailTakenError: 'CONFLICT',
  ExpiredError: 'EXPIRED',
};

/**
 * The `extensions.code` of an expected failure that reaches a client as a GraphQL error (where
 * there is no result union to carry it, as in subscriptions), instead of being masked.
 */
export function expectedErrorCode(error: AppError): string {
  return EXPECTED_CODES[error.name] ?? 'BAD_REQUEST';
}

/** Parses `value` with `schema`, turning zod's issues into an InvalidInputError under `basePath`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, basePath: string[] = ['input']): z.infer<S> {
  // A missing field reads "is required" rather than zod's type-level wording.
  const result = schema.safeParse(value, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (result.success) return result.data;
  throw new InvalidInputError(
    result.error.issues.map((issue) => ({
      path: [...basePath, ...issue.path.map(String)],
      message: issue.message,
    })),
  );
}
