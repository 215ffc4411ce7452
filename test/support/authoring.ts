/**
 * Fixtures of the content-authoring tests: a server with the demo instructor, a student and an
 * instructor of another organization; factories of bodies and inputs; the authoring calls.
 */
import { expect } from 'vitest';
import { hashPassword } from '../../api/auth/passwords.js';
import { startTestServer, type TestServer } from './server.js';

/** A started server and the tokens of the people the authoring tests act as. */
export interface AuthoringServer {
  server: TestServer;
  /** The demo organization's instructor. */
  instructor: string;
  student: string;
  /** An instructor of another organization, who must see and touch nothing of Demo University's. */
  outsider: string;
}

/** Starts a seeded server, adds an organization with its own instructor, and logs the three in. */
export async function startAuthoringServer(): Promise<AuthoringServer> {
  const server = await startTestServer();
  const instructor = await server.logIn('instructor@demo.test');
  const student = await server.logIn('student1@demo.test');
  const { prisma } = server.database;
  const organization = await prisma.organization.create({ data: { slug: 'other-college', name: 'Other College' } });
  const user = await prisma.user.create({
    data: { email: 'teacher@other.test', name: 'Other Teacher', passwordHash: await hashPassword('practice') },
  });
  await prisma.membership.create({ data: { userId: user.id, organizationId: organization.id, role: 'INSTRUCTOR' } });
  const outsider = await server.logIn('teacher@other.test');
  return { server, instructor, student, outsider };
}

/** A JSON object: a body, an input or variables. */
export type Data = Record<string, unknown>;

let slugCounter = 0;
/** A slug no other call in this file returns. */
export const uniqueSlug = (prefix: string): string => `${prefix}-${(slugCounter += 1)}`;

const ERROR_FIELDS = `... on Error { message } ... on InvalidInput { path issues { path message } }`;

const VERSION_FIELDS = /* GraphQL */ `
  id
  version
  status
  publishedAt
  statement
  sampleTests { index name }
  testCount
  hiddenTestCount
  allTestCases { index name hidden args expected }
  referenceSolution { language code }
  expectedDiagnosis { summary keywords bugLine }
  rubric { key guidance }
  body
`;

/** A content version as VERSION_FIELDS reads it. */
export interface VersionView {
  id: string;
  version: number;
  status: string;
  publishedAt: string | null;
  statement: string;
  sampleTests: { index: number; name: string }[];
  testCount: number;
  hiddenTestCount: number;
  allTestCases: { index: number; name: string; hidden: boolean; args: unknown; expected: unknown }[] | null;
  referenceSolution: { language: string; code: string }[] | null;
  expectedDiagnosis: { summary: string; keywords: string[][]; bugLine: number } | null;
  rubric: { key: string; guidance: string | null }[];
  body: unknown;
}

/** A content item as ITEM_FIELDS reads it. */
export interface ItemView {
  id: string;
  slug: string;
  viewerCanAuthor: boolean;
  currentVersion: VersionView | null;
  versions: { totalCount: number; edges: { node: { id: string; version: number; status: string } }[] };
}

const ITEM_FIELDS = /* GraphQL */ `
  id
  slug
  viewerCanAuthor
  currentVersion { ${VERSION_FIELDS} }
  versions(first: 10) { totalCount edges { node { id version status } } }
`;

/** A coding body with one visible and one hidden test; `secret` marks the hidden parts. */
export function codingBody(statement = 'Return the sum of `a` and `b`.'): Data {
  return {
    kind: 'CODING',
    statement,
    entrypoint: 'add',
    starterCode: { JAVASCRIPT: 'function add(a, b) {\n  // your code\n}\n' },
    referenceSolution: { JAVASCRIPT: 'function add(a, b) {\n  return a + b; // SECRET-SOLUTION\n}\n' },
    testCases: [
      { name: 'small numbers', args: [1, 2], expected: 3, hidden: false },
      { name: 'SECRET-HIDDEN-TEST', args: [40, 2], expected: 42, hidden: true },
    ],
    hints: ['Use the + operator.'],
  };
}

/** A debug-lab body whose starter code subtracts, with the diagnosis expected of it. */
export function debugLabBody(): Data {
  return {
    ...codingBody('Find the bug: `add` subtracts.'),
    kind: 'DEBUG_LAB',
    starterCode: { JAVASCRIPT: 'function add(a, b) {\n  return a - b;\n}\n' },
    expectedDiagnosis: { summary: 'It subtracts instead of adding.', keywords: [['subtract', 'minus']], bugLine: 2 },
  };
}

/** A system-design body with one criterion whose guidance is secret. */
export function systemDesignBody(): Data {
  return {
    kind: 'SYSTEM_DESIGN',
    statement: 'Design a URL shortener.',
    rubric: [
      {
        key: 'storage',
        title: 'Storage',
        description: 'How links are stored.',
        maxScore: 5,
        guidance: 'SECRET-GUIDANCE: a key-value store keyed by the short code.',
      },
    ],
    hints: [],
  };
}

/** A CreateContentItemInput for Demo University with a fresh slug; `overrides` replace fields. */
export function itemInput(overrides: Data = {}): Data {
  return {
    organizationSlug: 'demo-university',
    slug: uniqueSlug('pairs'),
    title: 'Add Two Numbers',
    summary: 'Warm-up arithmetic.',
    track: 'CODING_INTERVIEW',
    difficulty: 'EASY',
    pattern: 'WARM_UP',
    rung: 1,
    tags: ['math'],
    estimatedMinutes: 5,
    basePoints: 50,
    ...overrides,
  };
}

/** A mutation's payload or typed error. */
interface Result {
  __typename: string;
  message?: string;
  path?: string[];
  issues?: { path: string[]; message: string }[];
}

/**
 * The authoring calls, bound to a test file's server and instructor. `current` is read at each
 * call: the file starts its server in `beforeAll`, after it has bound these.
 */
export function authoringClient(current: () => { server: TestServer; instructor: string }) {
  /** Runs an operation as the holder of `token` (anonymous when null); fails the test on GraphQL errors. */
  async function gql<T = Data>(query: string, variables: Data = {}, token: string | null = null): Promise<T> {
    const { body } = await current().server.graphql<T>(
      query,
      variables,
      token ? { authorization: `Bearer ${token}` } : {},
    );
    if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  async function createItem(
    token: string | null,
    input: Data = itemInput(),
  ): Promise<Result & { contentItem?: { id: string; slug: string; currentVersion: null } }> {
    const data = await gql<{
      createContentItem: Result & { contentItem?: { id: string; slug: string; currentVersion: null } };
    }>(
      `mutation ($input: CreateContentItemInput!) { createContentItem(input: $input) {
        __typename ... on CreateContentItemPayload { contentItem { id slug currentVersion { id } } } ${ERROR_FIELDS} } }`,
      { input },
      token,
    );
    return data.createContentItem;
  }

  async function createVersion(
    token: string | null,
    contentItemId: string,
    body: unknown,
  ): Promise<Result & { contentVersion?: { id: string; version: number; status: string } }> {
    const data = await gql<{
      createContentVersion: Result & { contentVersion?: { id: string; version: number; status: string } };
    }>(
      `mutation ($input: CreateContentVersionInput!) { createContentVersion(input: $input) {
        __typename ... on CreateContentVersionPayload { contentVersion { id version status } } ${ERROR_FIELDS} } }`,
      { input: { contentItemId, body } },
      token,
    );
    return data.createContentVersion;
  }

  async function publish(
    token: string | null,
    contentVersionId: string,
  ): Promise<
    Result & {
      contentVersion?: { id: string; version: number; status: string; publishedAt: string };
      contentItem?: { currentVersion: { id: string } | null };
    }
  > {
    const data = await gql<{ publishContentVersion: Awaited<ReturnType<typeof publish>> }>(
      `mutation ($input: PublishContentVersionInput!) { publishContentVersion(input: $input) {
        __typename
        ... on PublishContentVersionPayload {
          contentVersion { id version status publishedAt }
          contentItem { currentVersion { id } }
        }
        ${ERROR_FIELDS} } }`,
      { input: { contentVersionId } },
      token,
    );
    return data.publishContentVersion;
  }

  /** Creates an item (as the demo instructor) with one version; publishes it unless told not to. */
  async function itemWithVersion(
    options: { input?: Data; body?: Data; publish?: boolean } = {},
  ): Promise<{ itemId: string; slug: string; versionId: string }> {
    const { instructor } = current();
    const created = await createItem(instructor, options.input ?? itemInput());
    const item = created.contentItem;
    if (!item) throw new Error(JSON.stringify(created));
    const drafted = await createVersion(instructor, item.id, options.body ?? codingBody());
    const version = drafted.contentVersion;
    if (!version) throw new Error(JSON.stringify(drafted));
    if (options.publish ?? true)
      expect((await publish(instructor, version.id)).__typename).toBe('PublishContentVersionPayload');
    return { itemId: item.id, slug: item.slug, versionId: version.id };
  }

  async function itemBySlug(token: string | null, slug: string): Promise<ItemView | null> {
    return (
      await gql<{ contentItem: ItemView | null }>(
        `query ($slug: String!) { contentItem(slug: $slug) { ${ITEM_FIELDS} } }`,
        { slug },
        token,
      )
    ).contentItem;
  }

  async function node<T>(token: string | null, id: string): Promise<T | null> {
    return (
      await gql<{ node: T | null }>(
        `query ($id: ID!) { node(id: $id) { ... on ContentItem { ${ITEM_FIELDS} } ... on ContentVersion { ${VERSION_FIELDS} } } }`,
        { id },
        token,
      )
    ).node;
  }

  async function catalogSlugs(token: string | null, search: string): Promise<string[]> {
    const data = await gql<{ contentItems: { edges: { node: { slug: string } }[] } }>(
      `query ($filter: ContentFilter) { contentItems(first: 100, filter: $filter) { edges { node { slug } } } }`,
      { filter: { search } },
      token,
    );
    return data.contentItems.edges.map((edge) => edge.node.slug);
  }

  return { gql, createItem, createVersion, publish, itemWithVersion, itemBySlug, node, catalogSlugs };
}
