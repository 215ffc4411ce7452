/**
 * Authoring content: an organization's instructors create items, draft versions and publish
 * them; students and visitors never see drafts, hidden tests, reference solutions or scoring
 * guidance; outsiders can neither author nor read; attempts keep the version they pinned.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../api/auth/passwords.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let instructor: string;
let student: string;
let outsider: string;

beforeAll(async () => {
  server = await startTestServer();
  instructor = await logIn('instructor@demo.test');
  student = await logIn('student1@demo.test');
  // An instructor of another organization, who must see and touch nothing of Demo University's.
  const { prisma } = server.database;
  const organization = await prisma.organization.create({ data: { slug: 'other-college', name: 'Other College' } });
  const user = await prisma.user.create({
    data: { email: 'teacher@other.test', name: 'Other Teacher', passwordHash: await hashPassword('practice') },
  });
  await prisma.membership.create({ data: { userId: user.id, organizationId: organization.id, role: 'INSTRUCTOR' } });
  outsider = await logIn('teacher@other.test');
});

// ───────────────────────────── helpers (factories, no shared state) ─────────────────────────────

type Data = Record<string, unknown>;

/** Runs an operation as the holder of `token` (anonymous when null); fails the test on GraphQL errors. */
async function gql<T = Data>(query: string, variables: Data = {}, token: string | null = null): Promise<T> {
  const { body } = await server.graphql<T>(query, variables, token ? { authorization: `Bearer ${token}` } : {});
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function logIn(email: string): Promise<string> {
  const data = await gql<{ logIn: { token?: string } }>(
    `mutation ($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } } }`,
    { input: { email, password: 'practice' } },
  );
  if (!data.logIn.token) throw new Error(`cannot log in as ${email}`);
  return data.logIn.token;
}

const globalId = (typename: string, id: string): string => Buffer.from(`${typename}:${id}`).toString('base64');

let slugCounter = 0;
const uniqueSlug = (prefix: string): string => `${prefix}-${(slugCounter += 1)}`;

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

interface VersionView {
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

interface ItemView {
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
function codingBody(statement = 'Return the sum of `a` and `b`.'): Data {
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

function debugLabBody(): Data {
  return {
    ...codingBody('Find the bug: `add` subtracts.'),
    kind: 'DEBUG_LAB',
    starterCode: { JAVASCRIPT: 'function add(a, b) {\n  return a - b;\n}\n' },
    expectedDiagnosis: { summary: 'It subtracts instead of adding.', keywords: [['subtract', 'minus']], bugLine: 2 },
  };
}

function systemDesignBody(): Data {
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

function itemInput(overrides: Data = {}): Data {
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

interface Result {
  __typename: string;
  message?: string;
  path?: string[];
  issues?: { path: string[]; message: string }[];
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

// ─────────────────────────────────────────── tests ───────────────────────────────────────────

describe('authoring an item from draft to published', () => {
  it('shows the unpublished item and its draft to the instructor only, then the published version to students', async () => {
    const created = await createItem(instructor);
    expect(created.__typename).toBe('CreateContentItemPayload');
    const item = created.contentItem!;
    expect(item.currentVersion).toBeNull();

    // An item without a published version: the instructor sees it everywhere, students nowhere.
    expect(await itemBySlug(instructor, item.slug)).toMatchObject({ id: item.id, viewerCanAuthor: true });
    expect(await catalogSlugs(instructor, item.slug)).toEqual([item.slug]);
    for (const viewer of [student, null]) {
      expect(await itemBySlug(viewer, item.slug)).toBeNull();
      expect(await node(viewer, item.id)).toBeNull();
      expect(await catalogSlugs(viewer, item.slug)).toEqual([]);
    }

    const drafted = await createVersion(instructor, item.id, codingBody());
    expect(drafted).toMatchObject({
      __typename: 'CreateContentVersionPayload',
      contentVersion: { version: 1, status: 'DRAFT' },
    });
    const versionId = drafted.contentVersion!.id;

    const draft = await node<VersionView>(instructor, versionId);
    expect(draft).toMatchObject({ status: 'DRAFT', publishedAt: null, testCount: 2, hiddenTestCount: 1 });
    expect(draft?.allTestCases?.map((test) => [test.name, test.hidden])).toEqual([
      ['small numbers', false],
      ['SECRET-HIDDEN-TEST', true],
    ]);
    expect(draft?.referenceSolution?.[0]?.code).toContain('SECRET-SOLUTION');
    expect(draft?.body).toEqual(codingBody());
    expect(await node(student, versionId)).toBeNull();
    expect(await itemBySlug(student, item.slug)).toBeNull();

    const published = await publish(instructor, versionId);
    expect(published).toMatchObject({
      __typename: 'PublishContentVersionPayload',
      contentVersion: { id: versionId, status: 'PUBLISHED' },
      contentItem: { currentVersion: { id: versionId } },
    });
    expect(published.contentVersion?.publishedAt).toEqual(expect.any(String));

    const seen = await itemBySlug(student, item.slug);
    expect(seen).toMatchObject({
      id: item.id,
      viewerCanAuthor: false,
      currentVersion: {
        id: versionId,
        status: 'PUBLISHED',
        statement: 'Return the sum of `a` and `b`.',
        sampleTests: [{ index: 0, name: 'small numbers' }],
        testCount: 2,
        hiddenTestCount: 1,
        allTestCases: null,
        referenceSolution: null,
        expectedDiagnosis: null,
        body: null,
      },
    });
    expect(await catalogSlugs(student, item.slug)).toEqual([item.slug]);
    expect(JSON.stringify(seen)).not.toMatch(/SECRET/);
    // Visitors outside the organization still see nothing of it.
    expect(await itemBySlug(null, item.slug)).toBeNull();
    expect(await node(outsider, item.id)).toBeNull();
  });

  it('keeps a new draft of a published item away from students, by node id and in `versions`, while v1 stays current', async () => {
    const { itemId, slug, versionId: v1 } = await itemWithVersion();
    const v2 = (await createVersion(instructor, itemId, codingBody('Version two.'))).contentVersion!;
    expect(v2).toMatchObject({ version: 2, status: 'DRAFT' });

    const asInstructor = await node<ItemView>(instructor, itemId);
    expect(asInstructor?.versions.totalCount).toBe(2);
    expect(asInstructor?.versions.edges.map((edge) => [edge.node.version, edge.node.status])).toEqual([
      [2, 'DRAFT'],
      [1, 'PUBLISHED'],
    ]);

    const asStudent = await node<ItemView>(student, itemId);
    expect(asStudent?.currentVersion?.id).toBe(v1);
    expect(asStudent?.versions).toEqual({
      totalCount: 1,
      edges: [{ node: { id: v1, version: 1, status: 'PUBLISHED' } }],
    });
    expect(await node(student, v2.id)).toBeNull();
    const nodes = await gql<{ nodes: unknown[] }>(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { ids: [v1, v2.id] },
      student,
    );
    expect(nodes.nodes).toEqual([{ id: v1 }, null]);
    expect(JSON.stringify(await itemBySlug(student, slug))).not.toMatch(/Version two|SECRET/);
  });

  it('shows debug-lab diagnoses and rubric guidance to the instructor only', async () => {
    const lab = await itemWithVersion({
      input: itemInput({ track: 'DEBUG_LAB', slug: uniqueSlug('lab') }),
      body: debugLabBody(),
    });
    const design = await itemWithVersion({
      input: itemInput({ track: 'SYSTEM_DESIGN', slug: uniqueSlug('design') }),
      body: systemDesignBody(),
    });

    const labForInstructor = await node<VersionView>(instructor, lab.versionId);
    expect(labForInstructor?.expectedDiagnosis).toEqual({
      summary: 'It subtracts instead of adding.',
      keywords: [['subtract', 'minus']],
      bugLine: 2,
    });
    const designForInstructor = await node<VersionView>(instructor, design.versionId);
    expect(designForInstructor?.rubric).toEqual([
      { key: 'storage', guidance: 'SECRET-GUIDANCE: a key-value store keyed by the short code.' },
    ]);
    expect(designForInstructor).toMatchObject({ allTestCases: [], referenceSolution: [], expectedDiagnosis: null });

    const labForStudent = await node<VersionView>(student, lab.versionId);
    expect(labForStudent).toMatchObject({ expectedDiagnosis: null, referenceSolution: null, allTestCases: null });
    const designForStudent = await node<VersionView>(student, design.versionId);
    expect(designForStudent?.rubric).toEqual([{ key: 'storage', guidance: null }]);
    expect(JSON.stringify([labForStudent, designForStudent])).not.toMatch(/SECRET|subtracts instead/);
  });

  it('shows nobody the answers of the global catalog, and lets nobody author it', async () => {
    const twoSum = await itemBySlug(instructor, 'two-sum');
    expect(twoSum).toMatchObject({
      viewerCanAuthor: false,
      currentVersion: { referenceSolution: null, allTestCases: null, body: null },
    });
    expect(JSON.stringify(twoSum)).not.toContain('seen.set'); // the reference solution's code
    const attempt = await createVersion(instructor, twoSum!.id, codingBody());
    expect(attempt.__typename).toBe('Forbidden');
    expect((await publish(instructor, twoSum!.currentVersion!.id)).__typename).toBe('Forbidden');
  });
});

describe('who may author', () => {
  it('refuses students, visitors and instructors of another organization, and reveals nothing to outsiders', async () => {
    const { itemId, slug, versionId } = await itemWithVersion();
    const draftId = (await createVersion(instructor, itemId, codingBody('Draft.'))).contentVersion!.id;
    const { prisma } = server.database;
    const before = await prisma.contentVersion.count();

    // Members who see the item but do not author it: Forbidden.
    expect((await createItem(student)).__typename).toBe('Forbidden');
    expect((await createVersion(student, itemId, codingBody())).__typename).toBe('Forbidden');
    expect((await publish(student, versionId)).__typename).toBe('Forbidden');
    // A student cannot see the draft at all.
    expect((await publish(student, draftId)).__typename).toBe('NotFound');
    // Anonymous visitors: Forbidden, whatever they name.
    expect((await createItem(null)).__typename).toBe('Forbidden');
    expect((await createVersion(null, itemId, codingBody())).__typename).toBe('Forbidden');
    expect((await publish(null, draftId)).__typename).toBe('Forbidden');

    // Another organization's instructor: Forbidden to author in Demo University; its items
    // and versions are not revealed (NotFound, like an ID that does not exist).
    const foreign = await createItem(outsider);
    expect(foreign).toMatchObject({ __typename: 'Forbidden', message: expect.stringMatching(/Demo University/) });
    expect(await createVersion(outsider, itemId, codingBody())).toMatchObject({ __typename: 'NotFound' });
    expect(await publish(outsider, draftId)).toMatchObject({ __typename: 'NotFound' });
    expect(await publish(outsider, versionId)).toMatchObject({ __typename: 'NotFound' });
    expect(await itemBySlug(outsider, slug)).toBeNull();
    expect(await node(outsider, itemId)).toBeNull();
    expect(await node(outsider, versionId)).toBeNull();
    expect(await node(outsider, draftId)).toBeNull();
    expect(await catalogSlugs(outsider, slug)).toEqual([]);

    expect(await prisma.contentVersion.count()).toBe(before);
    expect((await prisma.contentVersion.findFirstOrThrow({ where: { id: decode(draftId) } })).status).toBe('DRAFT');

    // In their own organization the same instructor authors freely.
    const own = await createItem(outsider, itemInput({ organizationSlug: 'other-college', slug }));
    expect(own.__typename).toBe('CreateContentItemPayload');
    // ...and Demo University's instructor sees nothing of it.
    expect(await node(instructor, own.contentItem!.id)).toBeNull();
  });

  it('answers NotFound for an unknown organization, item or version', async () => {
    expect(await createItem(instructor, itemInput({ organizationSlug: 'no-such-school' }))).toMatchObject({
      __typename: 'NotFound',
    });
    expect((await createVersion(instructor, globalId('ContentItem', randomUUID()), codingBody())).__typename).toBe(
      'NotFound',
    );
    expect((await publish(instructor, globalId('ContentVersion', randomUUID()))).__typename).toBe('NotFound');
  });
});

function decode(id: string): string {
  return Buffer.from(id, 'base64').toString('utf8').split(':')[1] ?? '';
}

describe('validation', () => {
  it('names the bad path inside the body, and writes nothing', async () => {
    const { itemId } = await itemWithVersion({ publish: false });
    const { prisma } = server.database;
    const before = await prisma.contentVersion.count({ where: { contentItemId: decode(itemId) } });

    const body = codingBody();
    const tests = body.testCases as Data[];
    delete tests[0]!.expected;
    const missing = await createVersion(instructor, itemId, body);
    expect(missing).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'body', 'testCases', '0', 'expected'],
    });

    const wrongType = await createVersion(instructor, itemId, { ...codingBody(), hints: 'not a list' });
    expect(wrongType).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'body', 'hints'] });

    const wrongKind = await createVersion(instructor, itemId, debugLabBody());
    expect(wrongKind).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'body', 'kind'] });
    expect(wrongKind.message).toMatch(/CODING/);

    const noSolution = await createVersion(instructor, itemId, { ...codingBody(), referenceSolution: {} });
    expect(noSolution).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'body', 'referenceSolution', 'JAVASCRIPT'],
    });

    const notAnObject = await createVersion(instructor, itemId, 'just text');
    expect(notAnObject).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'body'] });

    expect(await prisma.contentVersion.count({ where: { contentItemId: decode(itemId) } })).toBe(before);
  });

  it('refuses a malformed ID or the ID of another type as bad input naming the field', async () => {
    const { itemId, versionId } = await itemWithVersion({ publish: false });
    expect(await createVersion(instructor, 'not-an-id', codingBody())).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'contentItemId'],
    });
    expect(await createVersion(instructor, versionId, codingBody())).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'contentItemId'],
    });
    expect(await createVersion(instructor, globalId('ContentItem', 'not-a-uuid'), codingBody())).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'contentItemId'],
    });
    expect(await publish(instructor, itemId)).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'contentVersionId'],
    });
  });

  it('names every bad item field', async () => {
    const result = await createItem(
      instructor,
      itemInput({ slug: 'Not A Slug', pattern: 'lower', rung: 0, estimatedMinutes: 0, basePoints: -1 }),
    );
    expect(result.__typename).toBe('InvalidInput');
    expect(result.issues?.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.basePoints',
      'input.estimatedMinutes',
      'input.pattern',
      'input.rung',
      'input.slug',
    ]);
  });

  it('answers Conflict for a slug taken in the organization, but not for one used elsewhere', async () => {
    const input = itemInput();
    expect((await createItem(instructor, input)).__typename).toBe('CreateContentItemPayload');
    const again = await createItem(instructor, { ...input, title: 'Another title' });
    expect(again).toMatchObject({ __typename: 'Conflict', message: expect.stringContaining(String(input.slug)) });
    expect(await server.database.prisma.contentItem.count({ where: { slug: String(input.slug) } })).toBe(1);
    // The same slug as a global item or another organization's item is fine.
    expect((await createItem(instructor, itemInput({ slug: 'two-sum' }))).__typename).toBe('CreateContentItemPayload');
    expect((await createItem(outsider, { ...input, organizationSlug: 'other-college' })).__typename).toBe(
      'CreateContentItemPayload',
    );
  });
});

describe('publishing', () => {
  it('archives the previous version, keeps pinned attempts on it, and is idempotent', async () => {
    const { itemId, versionId: v1 } = await itemWithVersion({ body: codingBody('Statement one.') });
    const { prisma } = server.database;
    const studentUser = await prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
    // startAttempt is someone else's: an attempt is a row pinned to the version it started on.
    const attempt = await prisma.attempt.create({
      data: { userId: studentUser.id, contentItemId: decode(itemId), contentVersionId: decode(v1) },
    });

    const v2 = (await createVersion(instructor, itemId, codingBody('Statement two.'))).contentVersion!;
    const published = await publish(instructor, v2.id);
    expect(published).toMatchObject({
      contentVersion: { id: v2.id, version: 2, status: 'PUBLISHED' },
      contentItem: { currentVersion: { id: v2.id } },
    });

    const rows = await prisma.contentVersion.findMany({
      where: { contentItemId: decode(itemId) },
      orderBy: { version: 'asc' },
    });
    expect(rows.map((row) => row.status)).toEqual(['ARCHIVED', 'PUBLISHED']);
    expect((await prisma.attempt.findUniqueOrThrow({ where: { id: attempt.id } })).contentVersionId).toBe(decode(v1));
    // The student's pinned version still resolves, with its own statement.
    expect(await node<VersionView>(student, v1)).toMatchObject({ status: 'ARCHIVED', statement: 'Statement one.' });
    expect((await node<ItemView>(student, itemId))?.currentVersion).toMatchObject({
      id: v2.id,
      statement: 'Statement two.',
    });

    // Publishing the published version again changes nothing.
    const again = await publish(instructor, v2.id);
    expect(again.contentVersion).toEqual(published.contentVersion);
    // An archived version cannot come back.
    expect((await publish(instructor, v1)).__typename).toBe('Conflict');
    const after = await prisma.contentVersion.findMany({
      where: { contentItemId: decode(itemId) },
      orderBy: { version: 'asc' },
    });
    expect(after).toEqual(rows);
  });

  it('numbers concurrent drafts distinctly, and concurrent publishes leave exactly one current version', async () => {
    const { itemId } = await itemWithVersion();
    const drafts = await Promise.all(
      Array.from({ length: 4 }, (_, i) => createVersion(instructor, itemId, codingBody(`Concurrent ${i}.`))),
    );
    expect(drafts.map((draft) => draft.__typename)).toEqual(Array(4).fill('CreateContentVersionPayload'));
    expect(drafts.map((draft) => draft.contentVersion!.version).sort()).toEqual([2, 3, 4, 5]);

    const results = await Promise.all(drafts.map((draft) => publish(instructor, draft.contentVersion!.id)));
    // Each publish ran alone: the later ones archived the earlier ones, in some order.
    expect(results.every((result) => result.__typename === 'PublishContentVersionPayload')).toBe(true);
    const { prisma } = server.database;
    const rows = await prisma.contentVersion.findMany({ where: { contentItemId: decode(itemId) } });
    const current = rows.filter((row) => row.status === 'PUBLISHED');
    expect(current).toHaveLength(1);
    expect(rows.filter((row) => row.status === 'ARCHIVED')).toHaveLength(4);
    const item = await prisma.contentItem.findUniqueOrThrow({ where: { id: decode(itemId) } });
    expect(item.currentVersionId).toBe(current[0]!.id);
  });
});
