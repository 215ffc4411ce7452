/** Accounts: sign up, log in, and the token that makes you the viewer over HTTP and graphql-ws. */
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload {
        token
        user {
          id
          name
          email
        }
      }
      ... on Error {
        message
      }
      ... on InvalidInput {
        path
        issues {
          path
          message
        }
      }
      ... on EmailTaken {
        email
      }
    }
  }
`;
const LOG_IN = /* GraphQL */ `
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload {
        token
        user {
          email
        }
      }
      ... on Error {
        message
      }
      ... on InvalidInput {
        path
      }
    }
  }
`;

type AuthResult = {
  __typename: string;
  token?: string;
  user?: { id: string; name: string; email: string };
  message?: string;
  path?: string[];
  issues?: { path: string[]; message: string }[];
  email?: string;
};

async function signUp(input: Record<string, unknown>): Promise<AuthResult> {
  const { body } = await server.graphql<{ signUp: AuthResult }>(SIGN_UP, { input });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.signUp;
}

async function logIn(input: Record<string, unknown>): Promise<AuthResult> {
  const { body } = await server.graphql<{ logIn: AuthResult }>(LOG_IN, { input });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.logIn;
}

describe('signUp', () => {
  it('creates an account whose token makes it the viewer', async () => {
    const result = await signUp({ email: ' Grace@Example.test ', password: 'correct horse', name: 'Grace' });
    expect(result.__typename).toBe('AuthPayload');
    expect(result.user).toMatchObject({ name: 'Grace', email: 'grace@example.test' });
    const { body } = await server.graphql<{ viewer: { name: string; email: string } }>(
      '{ viewer { name email } }',
      {},
      { authorization: `Bearer ${result.token}` },
    );
    expect(body.data?.viewer).toEqual({ name: 'Grace', email: 'grace@example.test' });
  });

  it('returns the same account when retried with the same credentials, EmailTaken with others', async () => {
    const input = { email: 'retry@example.test', password: 'password-1', name: 'Retry' };
    const first = await signUp(input);
    const again = await signUp(input);
    expect(again.__typename).toBe('AuthPayload');
    expect(again.user?.id).toBe(first.user?.id);
    const taken = await signUp({ ...input, password: 'another-password' });
    expect(taken).toMatchObject({ __typename: 'EmailTaken', email: 'retry@example.test' });
    expect(await server.database.prisma.user.count({ where: { email: 'retry@example.test' } })).toBe(1);
  });

  it('names every bad field and writes nothing', async () => {
    const result = await signUp({ email: 'not-an-email', password: 'short', name: '  ' });
    expect(result.__typename).toBe('InvalidInput');
    expect(result.path).toEqual(['input', 'email']);
    expect(result.issues?.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.email',
      'input.name',
      'input.password',
    ]);
    expect(result.message).toMatch(/password: must be at least 8 characters/);
    expect(await server.database.prisma.user.count({ where: { email: 'not-an-email' } })).toBe(0);
  });

  it('joins an organization open for enrollment as a student, and refuses a closed or unknown one', async () => {
    const joined = await signUp({
      email: 'joiner@example.test',
      password: 'password-1',
      name: 'Joiner',
      organizationSlug: 'demo-university',
    });
    expect(joined.__typename).toBe('AuthPayload');
    const membership = await server.database.prisma.membership.findFirstOrThrow({
      where: { user: { email: 'joiner@example.test' } },
      include: { organization: true },
    });
    expect([membership.organization.slug, membership.role]).toEqual(['demo-university', 'STUDENT']);

    await server.database.prisma.organization.create({ data: { slug: 'closed-school', name: 'Closed School' } });
    const closed = await signUp({
      email: 'c@example.test',
      password: 'password-1',
      name: 'C',
      organizationSlug: 'closed-school',
    });
    expect(closed.__typename).toBe('Forbidden');
    const unknown = await signUp({
      email: 'u@example.test',
      password: 'password-1',
      name: 'U',
      organizationSlug: 'nowhere',
    });
    expect(unknown).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'organizationSlug'] });
    expect(
      await server.database.prisma.user.count({ where: { email: { in: ['c@example.test', 'u@example.test'] } } }),
    ).toBe(0);
  });

  it('lets exactly one of many concurrent sign-ups with different passwords create the account', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        signUp({ email: 'race@example.test', password: `password-${i}`, name: 'Race' }),
      ),
    );
    expect(results.filter((r) => r.__typename === 'AuthPayload')).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'EmailTaken')).toHaveLength(7);
  });
});

describe('logIn', () => {
  it('signs in the seeded demo student', async () => {
    const result = await logIn({ email: 'student1@demo.test', password: 'practice' });
    expect(result).toMatchObject({ __typename: 'AuthPayload', user: { email: 'student1@demo.test' } });
  });

  it('answers InvalidCredentials alike for a wrong password and an unknown email', async () => {
    const wrong = await logIn({ email: 'student1@demo.test', password: 'nope' });
    const unknown = await logIn({ email: 'nobody@demo.test', password: 'practice' });
    expect(wrong.__typename).toBe('InvalidCredentials');
    expect(unknown).toEqual(wrong);
  });

  it('authenticates graphql-ws through connectionParams.authorization', async () => {
    const { token } = await logIn({ email: 'student2@demo.test', password: 'practice' });
    const results = await server.subscribe(token ?? null, '{ viewer { email } }');
    expect(results).toEqual([{ viewer: { email: 'student2@demo.test' } }]);
  });
});
