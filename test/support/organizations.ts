/**
 * Fixtures of the organization tests: a server with two students, their instructor, a colleague,
 * an admin and an instructor of another school; the createClass mutation.
 */
import { globalId, startTestServer, type TestServer } from './server.js';

/** Creates an account with a membership of `role` in the organization with `slug`, and logs in. */
async function member(
  server: TestServer,
  email: string,
  slug: string,
  role: 'STUDENT' | 'INSTRUCTOR' | 'ADMIN',
): Promise<string> {
  await server.graphql('mutation ($input: SignUpInput!) { signUp(input: $input) { __typename } }', {
    input: { email, password: 'password-1', name: email.split('@')[0] },
  });
  const { prisma } = server.database;
  const user = await prisma.user.findUniqueOrThrow({ where: { email } });
  const organization = await prisma.organization.findUniqueOrThrow({ where: { slug } });
  await prisma.membership.create({ data: { userId: user.id, organizationId: organization.id, role } });
  return server.logIn(email, 'password-1');
}

/** createClass, reading the class, its organization and enrollments, or the typed error. */
export const CREATE_CLASS = /* GraphQL */ `
  mutation ($input: CreateClassInput!) {
    createClass(input: $input) {
      __typename
      ... on Class {
        id
        name
        viewerRole
        organization {
          slug
        }
        enrollments(first: 10) {
          totalCount
          edges {
            node {
              role
              user {
                name
              }
            }
          }
        }
      }
      ... on InvalidInput {
        path
      }
      ... on Error {
        message
      }
    }
  }
`;
/** CREATE_CLASS's data. */
export type ClassResult = {
  createClass: {
    __typename: string;
    id?: string;
    viewerRole?: string;
    organization?: { slug: string };
    enrollments?: { totalCount: number; edges: { node: { role: string; user: { name: string } } }[] };
    path?: string[];
    message?: string;
  };
};

/** A started server, the tokens of its people by name, and the seeded class Algorithms 101. */
export interface OrganizationsServer {
  server: TestServer;
  tokens: Record<string, string>;
  /** The global ID of Algorithms 101. */
  algorithmsId: string;
}

/**
 * Starts a seeded server; logs in student1, student2 and the instructor; adds another school
 * with an instructor (`outsider`), and a colleague and an admin to the demo university.
 */
export async function startOrganizationsServer(): Promise<OrganizationsServer> {
  const tokens: Record<string, string> = {};
  const server = await startTestServer();
  for (const who of ['student1', 'student2', 'instructor']) tokens[who] = await server.logIn(`${who}@demo.test`);
  const { prisma } = server.database;
  await prisma.organization.create({ data: { slug: 'other-school', name: 'Other School' } });
  tokens.outsider = await member(server, 'outsider@other.test', 'other-school', 'INSTRUCTOR');
  tokens.colleague = await member(server, 'colleague@demo.test', 'demo-university', 'INSTRUCTOR');
  tokens.admin = await member(server, 'admin@demo.test', 'demo-university', 'ADMIN');
  const algorithms = await prisma.class.findFirstOrThrow({ where: { name: 'Algorithms 101' } });
  const algorithmsId = globalId('Class', algorithms.id);
  return { server, tokens, algorithmsId };
}
