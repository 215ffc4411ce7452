/** The served API: health, the catalog over HTTP and graphql-ws, limits, visibility and errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../api/protect.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

type Catalog = {
  contentItems: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; slug: string; track: string; pattern: string; tags: string[] } }[];
  };
};

const CATALOG = /* GraphQL */ `
  query Catalog($first: Int, $after: String, $filter: ContentFilter) {
    contentItems(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          slug
          track
          pattern
          tags
        }
      }
    }
  }
`;

describe('GET /health', () => {
  it('answers JSON with the database mode and the migration state', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = await response.json();
    expect(body).toMatchObject({
      status: 'ok',
      database: { mode: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' },
      migrations: { upToDate: true, pending: [] },
    });
    expect(body.migrations.applied).toBeGreaterThanOrEqual(1);
    expect(body.migrations.latest).toMatch(/^\d{14}_\w+$/);
  });
});

describe('the catalog', () => {
  it('lists the whole seeded catalog to an anonymous visitor', async () => {
    const { status, body } = await server.graphql<Catalog>(CATALOG, { first: 100 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.contentItems.totalCount).toBeGreaterThanOrEqual(23);
    expect(body.data?.contentItems.edges).toHaveLength(body.data?.contentItems.totalCount ?? -1);
    expect(body.data?.contentItems.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with cursors without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const page: Awaited<ReturnType<TestServer['graphql']>> & { body: { data?: Catalog | null } } =
        await server.graphql<Catalog>(CATALOG, { first: 7, after });
      const connection: Catalog['contentItems'] | undefined = page.body.data?.contentItems;
      if (!connection) throw new Error(JSON.stringify(page.body.errors));
      seen.push(...connection.edges.map((edge) => edge.node.slug));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const { body } = await server.graphql<Catalog>(CATALOG, { first: 100 });
    expect(seen).toEqual(body.data?.contentItems.edges.map((edge) => edge.node.slug));
  });

  it('filters by track, pattern, tag and search text, and counts the filtered list', async () => {
    const byTrack = await server.graphql<Catalog>(CATALOG, { first: 100, filter: { track: 'DEBUG_LAB' } });
    const labs = byTrack.body.data?.contentItems;
    expect(labs?.totalCount).toBeGreaterThanOrEqual(3);
    expect(labs?.edges.every((edge) => edge.node.track === 'DEBUG_LAB')).toBe(true);
    expect(labs?.edges).toHaveLength(labs?.totalCount ?? -1);

    const byPattern = await server.graphql<Catalog>(CATALOG, { first: 100, filter: { pattern: 'SLIDING_WINDOW' } });
    const windows = byPattern.body.data?.contentItems.totalCount ?? 0;
    // Some items, and not all of them: the filter selects.
    const all = await server.graphql<Catalog>(CATALOG, { first: 100 });
    expect(windows).toBeGreaterThanOrEqual(2);
    expect(windows).toBeLessThan(all.body.data?.contentItems.totalCount ?? 0);
    expect(byPattern.body.data?.contentItems.edges.map((edge) => edge.node.pattern)).toEqual(
      Array(windows).fill('SLIDING_WINDOW'),
    );

    const bySearch = await server.graphql<Catalog>(CATALOG, { first: 100, filter: { search: 'TWO sum' } });
    expect(bySearch.body.data?.contentItems.edges.map((edge) => edge.node.slug)).toEqual(['two-sum']);

    const byTag = await server.graphql<Catalog>(CATALOG, { first: 100, filter: { tag: 'hash-map' } });
    expect(byTag.body.data?.contentItems.edges.every((edge) => edge.node.tags.includes('hash-map'))).toBe(true);
    expect(byTag.body.data?.contentItems.totalCount).toBeGreaterThanOrEqual(1);
  });

  it('refuses a page larger than 100 with an error naming the argument', async () => {
    const { body } = await server.graphql(CATALOG, { first: 101 });
    expect(body.data?.contentItems ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toMatch(/first.*at most 100/);
  });

  it('shows an item by slug with its published version, never hidden tests or reference solutions', async () => {
    const { body } = await server.graphql<{
      contentItem: {
        id: string;
        title: string;
        currentVersion: {
          id: string;
          version: number;
          status: string;
          statement: string;
          entrypoint: string;
          starterCode: { language: string; code: string }[];
          sampleTests: { index: number; name: string; args: unknown; expected: unknown }[];
          testCount: number;
          hiddenTestCount: number;
        };
      } | null;
    }>(
      `query ($slug: String!) { contentItem(slug: $slug) { id title currentVersion {
        id version status statement entrypoint starterCode { language code }
        sampleTests { index name args expected } testCount hiddenTestCount } } }`,
      { slug: 'two-sum' },
    );
    const item = body.data?.contentItem;
    expect(item?.title).toBe('Two Sum');
    const version = item?.currentVersion;
    expect(version).toMatchObject({ version: 1, status: 'PUBLISHED', entrypoint: 'twoSum' });
    expect(version?.starterCode.map((s) => s.language).sort()).toEqual(['JAVASCRIPT', 'PYTHON']);
    expect(version?.hiddenTestCount).toBeGreaterThanOrEqual(2);
    expect(version?.sampleTests.length).toBe((version?.testCount ?? 0) - (version?.hiddenTestCount ?? 0));
    expect(version?.sampleTests[0]).toEqual({ index: 0, name: 'example', args: [[2, 7, 11, 15], 9], expected: [0, 1] });
    const raw = JSON.stringify(body);
    expect(raw).not.toContain('seen.set'); // the reference solution's code
  });

  it('returns null for an unknown slug, and finds items again by global ID', async () => {
    const missing = await server.graphql(`{ contentItem(slug: "no-such-item") { id } }`);
    expect(missing.body).toEqual({ data: { contentItem: null } });

    const { body } = await server.graphql<Catalog>(CATALOG, { first: 2 });
    const ids = body.data?.contentItems.edges.map((edge) => edge.node.id) ?? [];
    const nodes = await server.graphql<{ nodes: ({ slug: string } | null)[] }>(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on ContentItem { slug } } }`,
      { ids },
    );
    expect(nodes.body.data?.nodes.map((node) => node?.slug)).toEqual(
      body.data?.contentItems.edges.map((e) => e.node.slug),
    );
  });

  it('hides drafts and organization-owned items from visitors outside the organization', async () => {
    const { prisma } = server.database;
    const organization = await prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
    const owned = await prisma.contentItem.create({
      data: {
        organizationId: organization.id,
        scope: organization.id,
        slug: 'two-sum',
        track: 'CODING_INTERVIEW',
        title: 'Demo University Two Sum',
        summary: 'Internal variant.',
        difficulty: 'EASY',
        pattern: 'HASHING',
        rung: 1,
        tags: [],
        estimatedMinutes: 10,
        basePoints: 100,
        timeBonusPoints: 0,
      },
    });
    const published = await prisma.contentVersion.create({
      data: { contentItemId: owned.id, version: 1, status: 'PUBLISHED', publishedAt: new Date(), body: {} },
    });
    await prisma.contentItem.update({ where: { id: owned.id }, data: { currentVersionId: published.id } });
    const draftOfGlobal = await prisma.contentItem.findFirstOrThrow({ where: { scope: 'global', slug: 'two-sum' } });
    const draft = await prisma.contentVersion.create({
      data: { contentItemId: draftOfGlobal.id, version: 2, status: 'DRAFT', body: {} },
    });

    const bySlug = await server.graphql<{ contentItem: { title: string } }>(
      `{ contentItem(slug: "two-sum") { title } }`,
    );
    expect(bySlug.body.data?.contentItem.title).toBe('Two Sum');
    const ownedId = Buffer.from(`ContentItem:${owned.id}`).toString('base64');
    const draftId = Buffer.from(`ContentVersion:${draft.id}`).toString('base64');
    const byId = await server.graphql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [ownedId, draftId] });
    expect(byId.body).toEqual({ data: { nodes: [null, null] } });
    const { body } = await server.graphql<Catalog>(CATALOG, { first: 100, filter: { search: 'Demo University' } });
    expect(body.data?.contentItems.totalCount).toBe(0);
  });
});

describe('transport', () => {
  it('serves GET /graphql for queries and GraphiQL to browsers', async () => {
    const query = encodeURIComponent('{ contentItems(first: 1) { totalCount } }');
    // GET needs the CSRF header (see test/protect.test.ts).
    const get = await fetch(`${server.url}/graphql?query=${query}`, { headers: { [CSRF_HEADER]: '1' } });
    expect(get.status).toBe(200);
    expect((await get.json()).data.contentItems.totalCount).toBeGreaterThanOrEqual(23);

    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
  });

  it('answers over graphql-ws on the same port and path', async () => {
    const [result] = await server.subscribe<{ viewer: null; contentItems: { totalCount: number } }>(
      null,
      '{ contentItems(first: 1) { totalCount } viewer { name } }',
    );
    expect(result?.viewer).toBeNull();
    expect(result?.contentItems.totalCount).toBeGreaterThanOrEqual(23);
  });

  it('rejects an invalid access token with 401 rather than treating the caller as anonymous', async () => {
    const { status, body } = await server.graphql('{ viewer { name } }', {}, { authorization: 'Bearer not-a-token' });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a bad variable with 400 and a message naming it', async () => {
    const { status, body } = await server.graphql(CATALOG, { first: 5, filter: { track: 'PAINTING' } });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/\$filter.*track.*PAINTING/s);
  });
});
