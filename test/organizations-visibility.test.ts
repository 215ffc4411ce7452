/** Who sees which organization, class, assignment and membership: members, admins, outsiders and visitors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClassResult, CREATE_CLASS, startOrganizationsServer } from './support/organizations.js';
import { actingAs, globalId, type TestServer } from './support/server.js';

let server: TestServer;
let tokens: Record<string, string> = {};
let algorithmsId: string;

beforeAll(async () => {
  ({ server, tokens, algorithmsId } = await startOrganizationsServer());
});

const as = actingAs(() => ({ server, tokens }));

describe('who sees which organization and class', () => {
  const ORGANIZATION = /* GraphQL */ `
    query ($slug: String!) {
      organization(slug: $slug) {
        slug
        name
        viewerRole
        classes(first: 20) {
          totalCount
          edges {
            node {
              name
            }
          }
        }
      }
    }
  `;
  type OrganizationData = {
    organization: {
      viewerRole: string;
      classes: { totalCount: number; edges: { node: { name: string } }[] };
    } | null;
  };
  const CLASSES = '{ classes(first: 20) { totalCount edges { node { id name viewerRole students { name } } } } }';
  type ClassesData = {
    classes: {
      totalCount: number;
      edges: { node: { id: string; name: string; viewerRole: string | null; students: { name: string }[] } }[];
    };
  };

  it('shows members their organization and role, and nobody else', async () => {
    const instructor = await as<OrganizationData>('instructor', ORGANIZATION, { slug: 'demo-university' });
    expect(instructor.organization?.viewerRole).toBe('INSTRUCTOR');
    const student = await as<OrganizationData>('student1', ORGANIZATION, { slug: 'demo-university' });
    expect(student.organization?.viewerRole).toBe('STUDENT');
    expect(student.organization?.classes.edges.map((e) => e.node.name)).toEqual(['Algorithms 101']);
    expect((await as<OrganizationData>('outsider', ORGANIZATION, { slug: 'demo-university' })).organization).toBeNull();
    expect((await as<OrganizationData>(null, ORGANIZATION, { slug: 'demo-university' })).organization).toBeNull();
    expect((await as<OrganizationData>('instructor', ORGANIZATION, { slug: 'no-such-org' })).organization).toBeNull();
  });

  it('lists only the classes an instructor teaches, every class to admins, none to outsiders', async () => {
    await as<ClassResult>('colleague', CREATE_CLASS, {
      input: { organizationSlug: 'demo-university', name: 'Colleague’s seminar' },
    });
    const instructor = await as<ClassesData>('instructor', CLASSES);
    const names = instructor.classes.edges.map((e) => e.node.name);
    expect(names).toContain('Algorithms 101');
    expect(names).not.toContain('Colleague’s seminar');
    expect(names).toEqual([...names].sort());
    expect(instructor.classes.totalCount).toBe(names.length);
    expect(instructor.classes.edges.every((e) => e.node.viewerRole === 'INSTRUCTOR')).toBe(true);
    const students = instructor.classes.edges.find((e) => e.node.name === 'Algorithms 101')?.node.students ?? [];
    const studentNames = students.map((s) => s.name);
    expect(studentNames).toEqual(expect.arrayContaining(['Jordan Student', 'Riley Student', 'Sam Student']));
    expect(studentNames).toEqual([...studentNames].sort());

    const admin = await as<ClassesData>('admin', CLASSES);
    const adminNames = admin.classes.edges.map((e) => e.node.name);
    expect(adminNames).toEqual(expect.arrayContaining(['Algorithms 101', 'Colleague’s seminar']));
    expect(admin.classes.edges.find((e) => e.node.name === 'Algorithms 101')?.node.viewerRole).toBeNull();

    const student = await as<ClassesData>('student1', CLASSES);
    expect(student.classes.edges.map((e) => e.node.name)).toEqual(['Algorithms 101']);
    expect(student.classes.edges[0]?.node.viewerRole).toBe('STUDENT');

    const outsider = await as<ClassesData>('outsider', CLASSES);
    expect(outsider.classes).toEqual({ totalCount: 0, edges: [] });
    const anonymous = await as<ClassesData>(null, CLASSES);
    expect(anonymous.classes.totalCount).toBe(0);
  });

  it('answers node(id) with null for classes and assignments of other organizations', async () => {
    const { prisma } = server.database;
    const item = await prisma.contentItem.findFirstOrThrow({
      where: { slug: 'climbing-stairs', organizationId: null },
    });
    const cls = await prisma.class.findFirstOrThrow({ where: { name: 'Algorithms 101' } });
    const assignment = await prisma.assignment.upsert({
      where: { classId_contentItemId: { classId: cls.id, contentItemId: item.id } },
      create: { classId: cls.id, contentItemId: item.id },
      update: {},
    });
    const ids = [algorithmsId, globalId('Assignment', assignment.id)];
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    expect((await as<{ nodes: unknown[] }>('outsider', query, { ids })).nodes).toEqual([null, null]);
    expect((await as<{ nodes: unknown[] }>('colleague', query, { ids })).nodes).toEqual([null, null]);
    expect((await as<{ nodes: unknown[] }>('student1', query, { ids })).nodes).toEqual([
      { id: ids[0] },
      { id: ids[1] },
    ]);
    await prisma.assignment.delete({ where: { id: assignment.id } });
  });

  it('shows the viewer their own memberships and organizations only', async () => {
    const data = await as<{
      viewer: { memberships: { role: string; organization: { slug: string } }[]; organizations: { slug: string }[] };
    }>('outsider', '{ viewer { memberships { role organization { slug } } organizations { slug name } } }');
    expect(data.viewer.memberships).toEqual([{ role: 'INSTRUCTOR', organization: { slug: 'other-school' } }]);
    expect(data.viewer.organizations).toEqual([{ slug: 'other-school', name: 'Other School' }]);

    const student1 = await server.database.prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
    const other = await as<{ node: { memberships: unknown[]; organizations: unknown[] } }>(
      'instructor',
      'query ($id: ID!) { node(id: $id) { ... on User { memberships { role } organizations { slug } } } }',
      { id: globalId('User', student1.id) },
    );
    expect(other.node).toEqual({ memberships: [], organizations: [] });
  });
});
