/**
 * Who may author content, and what input is refused: students, visitors and instructors of
 * another organization can neither author nor read; bad bodies, IDs and fields are named and
 * nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  authoringClient,
  codingBody,
  type Data,
  debugLabBody,
  itemInput,
  startAuthoringServer,
} from './support/authoring.js';
import { globalId, type TestServer, rawId } from './support/server.js';

let server: TestServer;
let instructor = '';
let student = '';
let outsider = '';

beforeAll(async () => {
  ({ server, instructor, student, outsider } = await startAuthoringServer());
});

const { createItem, createVersion, publish, itemWithVersion, itemBySlug, node, catalogSlugs } = authoringClient(() => ({
  server,
  instructor,
}));

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
    expect((await prisma.contentVersion.findFirstOrThrow({ where: { id: rawId(draftId) } })).status).toBe('DRAFT');

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

describe('validation', () => {
  it('names the bad path inside the body, and writes nothing', async () => {
    const { itemId } = await itemWithVersion({ publish: false });
    const { prisma } = server.database;
    const before = await prisma.contentVersion.count({ where: { contentItemId: rawId(itemId) } });

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

    expect(await prisma.contentVersion.count({ where: { contentItemId: rawId(itemId) } })).toBe(before);
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
