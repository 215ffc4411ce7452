/** A catalog page costs a number of SQL statements bounded by the query's depth, not its size. */
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';
import { publishedItem } from './support/content.js';

let server: TestServer;
let statements = 0;
let token = '';

beforeAll(async () => {
  server = await startTestServer({ onQuery: () => (statements += 1) });
  const { prisma } = server.database;
  // Top the catalog up to 60 items, each with a published version.
  const existing = await prisma.contentItem.count();
  const template = await prisma.contentVersion.findFirstOrThrow({ where: { contentItem: { slug: 'two-sum' } } });
  for (let i = existing; i < 60; i += 1) {
    await publishedItem(
      prisma,
      {
        slug: `extra-${i}`,
        title: `Extra ${i}`,
        summary: 'Filler for the statement count.',
        pattern: 'ZZ_FILLER',
        tags: ['filler', `n${i}`],
      },
      template.body ?? {},
    );
  }
  const student = await prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
  const someItems = await prisma.contentItem.findMany({ take: 20, orderBy: { slug: 'asc' } });
  await prisma.userContentProgress.createMany({
    data: someItems.map((item, i) => ({
      userId: student.id,
      contentItemId: item.id,
      status: i % 2 === 0 ? ('SOLVED' as const) : ('IN_PROGRESS' as const),
      attemptsCount: 1,
    })),
  });
  const { body } = await server.graphql<{ logIn: { token: string } }>(
    'mutation { logIn(input: { email: "student1@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
  );
  token = body.data?.logIn.token ?? '';
});

const PAGE = /* GraphQL */ `
  query ($first: Int!) {
    contentItems(first: $first) {
      totalCount
      edges {
        node {
          slug
          tags
          viewerProgress {
            status
            attemptsCount
          }
          currentVersion {
            version
            statement
          }
          versions(first: 3) {
            totalCount
            edges {
              node {
                version
                status
              }
            }
          }
        }
      }
    }
  }
`;

type Page = {
  contentItems: {
    edges: {
      node: { slug: string; viewerProgress: { status: string } | null; currentVersion: { statement: string } | null };
    }[];
  };
};

async function countStatements(first: number): Promise<{ count: number; page: Page }> {
  statements = 0;
  const { body } = await server.graphql<Page>(PAGE, { first }, { authorization: `Bearer ${token}` });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return { count: statements, page: body.data };
}

describe('catalog page cost', () => {
  it('loads 50 items with versions, tags and the viewer’s progress in as many statements as 5 items', async () => {
    const small = await countStatements(5);
    const large = await countStatements(50);
    expect(large.page.contentItems.edges).toHaveLength(50);
    expect(large.page.contentItems.edges.every((e) => e.node.currentVersion?.statement)).toBe(true);
    expect(large.page.contentItems.edges.filter((e) => e.node.viewerProgress !== null).length).toBeGreaterThan(0);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(8);
  });

  it('shows progress only to its owner', async () => {
    const { body } = await server.graphql<Page>(PAGE, { first: 50 });
    expect(body.data?.contentItems.edges.every((e) => e.node.viewerProgress === null)).toBe(true);
  });
});
