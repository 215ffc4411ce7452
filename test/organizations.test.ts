/** Instructors build their classes: creating classes, enrolling students and assigning items, and who may. */
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

async function itemId(slug: string): Promise<string> {
  const data = await as<{ contentItem: { id: string } }>(
    null,
    'query ($slug: String!) { contentItem(slug: $slug) { id } }',
    { slug },
  );
  return data.contentItem.id;
}

const ENROLL = /* GraphQL */ `
  mutation ($input: EnrollStudentInput!) {
    enrollStudent(input: $input) {
      __typename
      ... on Enrollment {
        id
        role
        user {
          name
        }
        class {
          name
        }
      }
      ... on NotFound {
        resource
      }
      ... on Error {
        message
      }
    }
  }
`;
type EnrollResult = {
  enrollStudent: {
    __typename: string;
    id?: string;
    role?: string;
    user?: { name: string };
    resource?: string;
    message?: string;
  };
};

const CREATE_ASSIGNMENT = /* GraphQL */ `
  mutation ($input: CreateAssignmentInput!) {
    createAssignment(input: $input) {
      __typename
      ... on Assignment {
        id
        dueAt
        supportMaterials
        referenceSolutions {
          language
          code
        }
        llmModel {
          provider
          name
          version
        }
        contentItem {
          slug
        }
        class {
          name
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
type AssignmentResult = {
  createAssignment: {
    __typename: string;
    id?: string;
    referenceSolutions?: { language: string; code: string }[] | null;
    llmModel?: { provider: string; name: string; version: string } | null;
    contentItem?: { slug: string };
    path?: string[];
    message?: string;
  };
};

describe('createClass', () => {
  it('creates a class taught by its creator, and returns the same class when retried', async () => {
    const input = { organizationSlug: 'demo-university', name: 'Graphs 201' };
    const first = await as<ClassResult>('instructor', CREATE_CLASS, { input });
    expect(first.createClass).toMatchObject({
      __typename: 'Class',
      viewerRole: 'INSTRUCTOR',
      organization: { slug: 'demo-university' },
      enrollments: { totalCount: 1, edges: [{ node: { role: 'INSTRUCTOR', user: { name: 'Ada Instructor' } } }] },
    });
    const again = await as<ClassResult>('instructor', CREATE_CLASS, { input: { ...input, name: '  Graphs 201 ' } });
    expect(again.createClass.id).toBe(first.createClass.id);
    expect(await server.database.prisma.class.count({ where: { name: 'Graphs 201' } })).toBe(1);
  });

  it('creates one class for concurrent identical calls', async () => {
    const input = { organizationSlug: 'demo-university', name: 'Concurrency 301' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => as<ClassResult>('instructor', CREATE_CLASS, { input })),
    );
    expect(new Set(results.map((r) => r.createClass.id)).size).toBe(1);
    expect(results.every((r) => r.createClass.__typename === 'Class')).toBe(true);
    expect(await server.database.prisma.enrollment.count({ where: { class: { name: 'Concurrency 301' } } })).toBe(1);
  });

  it('is a Conflict when another instructor already has a class of that name', async () => {
    const taken = await as<ClassResult>('colleague', CREATE_CLASS, {
      input: { organizationSlug: 'demo-university', name: 'Graphs 201' },
    });
    expect(taken.createClass.__typename).toBe('Conflict');
    expect(taken.createClass.message).toMatch(/already has a class named "Graphs 201"/);
  });

  it('refuses students, hides other organizations, and names a bad field', async () => {
    const student = await as<ClassResult>('student1', CREATE_CLASS, {
      input: { organizationSlug: 'demo-university', name: 'My own class' },
    });
    expect(student.createClass.__typename).toBe('Forbidden');
    const outsider = await as<ClassResult>('outsider', CREATE_CLASS, {
      input: { organizationSlug: 'demo-university', name: 'Takeover' },
    });
    expect(outsider.createClass.__typename).toBe('NotFound');
    const anonymous = await as<ClassResult>(null, CREATE_CLASS, {
      input: { organizationSlug: 'demo-university', name: 'Anonymous' },
    });
    expect(anonymous.createClass.__typename).toBe('Forbidden');
    const empty = await as<ClassResult>('instructor', CREATE_CLASS, {
      input: { organizationSlug: 'demo-university', name: '   ' },
    });
    expect(empty.createClass).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'name'] });
    expect(
      await server.database.prisma.class.count({ where: { name: { in: ['My own class', 'Takeover', 'Anonymous'] } } }),
    ).toBe(0);
  });
});

describe('enrollStudent', () => {
  it('enrolls an existing student once, however often it is called', async () => {
    const created = await as<ClassResult>('instructor', CREATE_CLASS, {
      input: { organizationSlug: 'demo-university', name: 'Enrollment lab' },
    });
    const classId = created.createClass.id;
    const input = { classId, email: 'Student2@Demo.test' };
    const first = await as<EnrollResult>('instructor', ENROLL, { input });
    expect(first.enrollStudent).toMatchObject({
      __typename: 'Enrollment',
      role: 'STUDENT',
      user: { name: 'Riley Student' },
    });
    const again = await Promise.all([1, 2, 3].map(() => as<EnrollResult>('instructor', ENROLL, { input })));
    expect(again.map((r) => r.enrollStudent.id)).toEqual([
      first.enrollStudent.id,
      first.enrollStudent.id,
      first.enrollStudent.id,
    ]);
    // The class's instructor cannot also be its student.
    const self = await as<EnrollResult>('instructor', ENROLL, { input: { classId, email: 'instructor@demo.test' } });
    expect(self.enrollStudent.__typename).toBe('Conflict');
  });

  it('makes a user who belongs to no organization a student of the class’s organization', async () => {
    await server.graphql(
      'mutation { signUp(input: { email: "newcomer@else.test", password: "password-1", name: "Newcomer" }) { __typename } }',
    );
    const result = await as<EnrollResult>('instructor', ENROLL, {
      input: { classId: algorithmsId, email: 'newcomer@else.test' },
    });
    expect(result.enrollStudent).toMatchObject({ __typename: 'Enrollment', role: 'STUDENT' });
    const membership = await server.database.prisma.membership.findFirstOrThrow({
      where: { user: { email: 'newcomer@else.test' }, organization: { slug: 'demo-university' } },
    });
    expect(membership.role).toBe('STUDENT');
  });

  it('names an unknown email, and refuses students and other instructors', async () => {
    const unknown = await as<EnrollResult>('instructor', ENROLL, {
      input: { classId: algorithmsId, email: 'nobody@demo.test' },
    });
    expect(unknown.enrollStudent).toMatchObject({ __typename: 'NotFound', resource: 'User' });
    expect(unknown.enrollStudent.message).toContain('nobody@demo.test');
    const student = await as<EnrollResult>('student1', ENROLL, {
      input: { classId: algorithmsId, email: 'student3@demo.test' },
    });
    expect(student.enrollStudent.__typename).toBe('Forbidden');
    // An instructor of the organization who does not teach the class does not see it.
    const colleague = await as<EnrollResult>('colleague', ENROLL, {
      input: { classId: algorithmsId, email: 'colleague@demo.test' },
    });
    expect(colleague.enrollStudent.__typename).toBe('NotFound');
    const outsider = await as<EnrollResult>('outsider', ENROLL, {
      input: { classId: algorithmsId, email: 'outsider@other.test' },
    });
    expect(outsider.enrollStudent.__typename).toBe('NotFound');
  });
});

describe('createAssignment', () => {
  it('assigns an item with instructor-only reference solutions, and returns it again on retry', async () => {
    const input = {
      classId: algorithmsId,
      contentItemId: await itemId('two-sum'),
      dueAt: '2030-01-15T17:00:00.000Z',
      supportMaterials: 'Read the chapter on hash maps.',
      referenceSolutions: [
        { language: 'PYTHON', code: 'def two_sum(nums, target): ...' },
        { language: 'JAVASCRIPT', code: 'function twoSum(nums, target) {}' },
      ],
      llmModel: { provider: 'anthropic', name: 'claude-sonnet-4-5', version: '20250929' },
    };
    const first = await as<AssignmentResult>('instructor', CREATE_ASSIGNMENT, { input });
    expect(first.createAssignment).toMatchObject({
      __typename: 'Assignment',
      contentItem: { slug: 'two-sum' },
      referenceSolutions: [
        { language: 'JAVASCRIPT', code: 'function twoSum(nums, target) {}' },
        { language: 'PYTHON', code: 'def two_sum(nums, target): ...' },
      ],
      llmModel: { provider: 'anthropic', name: 'claude-sonnet-4-5', version: '20250929' },
    });
    const again = await as<AssignmentResult>('instructor', CREATE_ASSIGNMENT, { input });
    expect(again.createAssignment.id).toBe(first.createAssignment.id);
    const { prisma } = server.database;
    expect(await prisma.llmModel.count({ where: { name: 'claude-sonnet-4-5' } })).toBe(1);

    // The same model for another item is the same LlmModel row.
    const other = await as<AssignmentResult>('instructor', CREATE_ASSIGNMENT, {
      input: { ...input, contentItemId: await itemId('valid-parentheses'), referenceSolutions: [] },
    });
    expect(other.createAssignment.__typename).toBe('Assignment');
    expect(await prisma.llmModel.count({ where: { name: 'claude-sonnet-4-5' } })).toBe(1);

    const changed = await as<AssignmentResult>('instructor', CREATE_ASSIGNMENT, {
      input: { ...input, dueAt: '2030-02-01T17:00:00.000Z' },
    });
    expect(changed.createAssignment.__typename).toBe('Conflict');

    const query =
      'query ($id: ID!) { node(id: $id) { ... on Assignment { supportMaterials referenceSolutions { language } } } }';
    const id = first.createAssignment.id;
    const student = await as<{ node: { supportMaterials: string; referenceSolutions: unknown } }>('student1', query, {
      id,
    });
    expect(student.node).toEqual({ supportMaterials: 'Read the chapter on hash maps.', referenceSolutions: null });
    const admin = await as<{ node: { referenceSolutions: unknown[] } }>('admin', query, { id });
    expect(admin.node.referenceSolutions).toHaveLength(2);
  });

  it('refuses items of other organizations, students, and duplicate languages', async () => {
    const { prisma } = server.database;
    const otherSchool = await prisma.organization.findUniqueOrThrow({ where: { slug: 'other-school' } });
    const twoSum = await prisma.contentItem.findFirstOrThrow({ where: { slug: 'two-sum', organizationId: null } });
    const foreign = await prisma.contentItem.create({
      data: {
        organizationId: otherSchool.id,
        scope: otherSchool.id,
        slug: 'secret-problem',
        track: 'CODING_INTERVIEW',
        title: 'Secret',
        summary: 'Owned by another school.',
        difficulty: 'EASY',
        pattern: 'ARRAYS',
        rung: 1,
        tags: [],
        estimatedMinutes: 10,
        basePoints: 10,
        timeBonusPoints: 0,
        currentVersionId: null,
      },
    });
    const assign = (who: string, input: Record<string, unknown>) =>
      as<AssignmentResult>(who, CREATE_ASSIGNMENT, { input: { classId: algorithmsId, ...input } });
    expect(
      (await assign('instructor', { contentItemId: globalId('ContentItem', foreign.id) })).createAssignment.__typename,
    ).toBe('NotFound');
    expect(
      (await assign('student1', { contentItemId: globalId('ContentItem', twoSum.id) })).createAssignment.__typename,
    ).toBe('Forbidden');
    const duplicate = await assign('instructor', {
      contentItemId: await itemId('climbing-stairs'),
      referenceSolutions: [
        { language: 'PYTHON', code: 'a' },
        { language: 'PYTHON', code: 'b' },
      ],
    });
    expect(duplicate.createAssignment).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'referenceSolutions', '1', 'language'],
    });
    expect(
      await prisma.assignment.count({
        where: { contentItem: { slug: { in: ['climbing-stairs', 'secret-problem'] } } },
      }),
    ).toBe(0);
  });
});
