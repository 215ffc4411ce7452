/**
 * Authoring content from draft to published: students and visitors never see drafts, hidden
 * tests, reference solutions or scoring guidance; publishing archives the previous version,
 * attempts keep the version they pinned, and concurrent drafts and publishes stay consistent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  authoringClient,
  codingBody,
  debugLabBody,
  type ItemView,
  itemInput,
  startAuthoringServer,
  systemDesignBody,
  uniqueSlug,
  type VersionView,
} from './support/authoring.js';
import type { TestServer } from './support/server.js';
import { rawId } from './support/server.js';

let server: TestServer;
let instructor = '';
let student = '';
let outsider = '';

beforeAll(async () => {
  ({ server, instructor, student, outsider } = await startAuthoringServer());
});

const { gql, createItem, createVersion, publish, itemWithVersion, itemBySlug, node, catalogSlugs } = authoringClient(
  () => ({ server, instructor }),
);

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

describe('publishing', () => {
  it('archives the previous version, keeps pinned attempts on it, and is idempotent', async () => {
    const { itemId, versionId: v1 } = await itemWithVersion({ body: codingBody('Statement one.') });
    const { prisma } = server.database;
    const studentUser = await prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
    // startAttempt is someone else's: an attempt is a row pinned to the version it started on.
    const attempt = await prisma.attempt.create({
      data: { userId: studentUser.id, contentItemId: rawId(itemId), contentVersionId: rawId(v1) },
    });

    const v2 = (await createVersion(instructor, itemId, codingBody('Statement two.'))).contentVersion!;
    const published = await publish(instructor, v2.id);
    expect(published).toMatchObject({
      contentVersion: { id: v2.id, version: 2, status: 'PUBLISHED' },
      contentItem: { currentVersion: { id: v2.id } },
    });

    const rows = await prisma.contentVersion.findMany({
      where: { contentItemId: rawId(itemId) },
      orderBy: { version: 'asc' },
    });
    expect(rows.map((row) => row.status)).toEqual(['ARCHIVED', 'PUBLISHED']);
    expect((await prisma.attempt.findUniqueOrThrow({ where: { id: attempt.id } })).contentVersionId).toBe(rawId(v1));
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
      where: { contentItemId: rawId(itemId) },
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
    const rows = await prisma.contentVersion.findMany({ where: { contentItemId: rawId(itemId) } });
    const current = rows.filter((row) => row.status === 'PUBLISHED');
    expect(current).toHaveLength(1);
    expect(rows.filter((row) => row.status === 'ARCHIVED')).toHaveLength(4);
    const item = await prisma.contentItem.findUniqueOrThrow({ where: { id: rawId(itemId) } });
    expect(item.currentVersionId).toBe(current[0]!.id);
  });
});
