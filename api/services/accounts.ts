/** Accounts: sign-up and log-in. */
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { TokenIdentity } from '../auth/tokens.js';
import type { Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { EmailTakenError, ForbiddenError, InvalidCredentialsError, InvalidInputError, parseInput } from '../errors.js';
import type { User } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'));

const signUpSchema = z.object({
  email,
  password: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  organizationSlug: z.string().trim().min(1).max(100).nullish(),
});

const logInSchema = z.object({ email, password: z.string().min(1, 'must not be empty').max(200) });

/** A hash of a password nobody has, so a log-in for an unknown email costs as much as a real one. */
const dummyHash = hashPassword('not-a-real-password');

/**
 * Creates an account (and a student membership when `organizationSlug` names an
 * organization open for enrollment). A retry with the same email and password returns the
 * same account instead of failing, so a lost response can simply be retried.
 */
export async function signUp(prisma: PrismaClient, input: z.input<typeof signUpSchema>): Promise<User> {
  const data = parseInput(signUpSchema, input);
  const organization = data.organizationSlug
    ? await prisma.organization.findUnique({ where: { slug: data.organizationSlug } })
    : null;
  if (data.organizationSlug && !organization) {
    throw InvalidInputError.at(
      ['input', 'organizationSlug'],
      `no organization has the slug "${data.organizationSlug}"`,
    );
  }
  if (organization && !organization.openEnrollment) {
    throw new ForbiddenError(`${organization.name} does not accept sign-ups; ask an instructor to enroll you.`);
  }

  const existing = await prisma.user.findUnique({ where: { email: data.email } });
  let user: User;
  if (existing) {
    if (!existing.passwordHash || !(await verifyPassword(data.password, existing.passwordHash))) {
      throw new EmailTakenError(data.email);
    }
    user = existing;
  } else {
    const passwordHash = await hashPassword(data.password);
    try {
      user = await prisma.user.create({ data: { email: data.email, name: data.name, passwordHash } });
    } catch (error) {
      // Two sign-ups raced for the same email: the loser is told, like any other taken email.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new EmailTakenError(data.email);
      }
      throw error;
    }
  }
  if (organization) {
    await prisma.membership.upsert({
      where: { userId_organizationId: { userId: user.id, organizationId: organization.id } },
      create: { userId: user.id, organizationId: organization.id, role: 'STUDENT' },
      update: {},
    });
  }
  return user;
}

/** Checks the credentials; throws InvalidCredentialsError for an unknown email or a wrong password. */
export async function logIn(prisma: PrismaClient, input: z.input<typeof logInSchema>): Promise<User> {
  const data = parseInput(logInSchema, input);
  const user = await prisma.user.findUnique({ where: { email: data.email } });
  if (!user?.passwordHash) {
    await verifyPassword(data.password, await dummyHash);
    throw new InvalidCredentialsError();
  }
  if (!(await verifyPassword(data.password, user.passwordHash))) throw new InvalidCredentialsError();
  return user;
}

/** The viewer a token speaks for: the user and their role in each organization; null if there is no such user. */
export async function loadViewer(prisma: PrismaClient, identity: TokenIdentity): Promise<Viewer | null> {
  const user = await prisma.user.findUnique({
    where: 'userId' in identity ? { id: identity.userId } : { email: identity.email },
    select: { id: true, memberships: { select: { organizationId: true, role: true } } },
  });
  return user ? { userId: user.id, roles: new Map(user.memberships.map((m) => [m.organizationId, m.role])) } : null;
}
