/**
 * Organizations and instructors: organizations, memberships, classes, enrollments,
 * assignments and LLM models; the `organization` and `classes` queries; and the
 * instructors' writes (createClass, enrollStudent, createAssignment).
 */
import { builder } from '../builder.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { ClassRole, Role, TestVisibility } from '../generated/prisma/enums.js';
import { visibleClassesWhere } from '../services/access.js';
import {
  createAssignment,
  createClass,
  enrollStudent,
  referenceSolutionsOf,
  setTestVisibility,
} from '../services/organizations.js';
import type { Language } from '../generated/prisma/enums.js';
import { LanguageEnum } from './enums.js';
import { idOf } from './practice.js';
import { UserRef } from './user.js';

export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description: 'A member’s role in an organization.',
  values: {
    STUDENT: { description: 'Practices; sees their own history.' },
    INSTRUCTOR: { description: 'Creates classes, authors content, reads the history of the students they teach.' },
    ADMIN: {
      description: 'Everything an instructor does, for every class of the organization, and reads its access log.',
    },
  },
});

export const TestVisibilityEnum = builder.enumType(TestVisibility, {
  name: 'TestVisibility',
  description: 'How much of a hidden test’s result students see, for the items an organization owns.',
  values: {
    PASS_FAIL_ONLY: { description: 'Only whether each hidden test passed (the default).' },
    VERDICT_DETAILS: {
      description:
        'Also each hidden test’s name, verdict (e.g. TIME_LIMIT) and run time; never its inputs, output or what the code returned.',
    },
  },
});

export const ClassRoleEnum = builder.enumType(ClassRole, {
  name: 'ClassRole',
  description: 'A person’s role in one class.',
  values: {
    STUDENT: { description: 'Takes the class.' },
    INSTRUCTOR: { description: 'Teaches the class.' },
  },
});

/** A user id no row has: filters "the viewer's rows" to nothing for anonymous visitors. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/** The viewer's organizations only: a member sees their organization, nobody else does. */
function memberOrganizationIds(viewer: { roles: ReadonlyMap<string, Role> } | null): string[] {
  return viewer ? [...viewer.roles.keys()] : [];
}

export const OrganizationRef = builder.prismaNode('Organization', {
  id: { field: 'id' },
  nullable: true,
  description: 'A tenant: a school, bootcamp or company with its own classes and content. Visible to its members only.',
  findUnique: (id, ctx) => ({ id, AND: [{ id: { in: memberOrganizationIds(ctx.viewer) } }] }),
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL-safe unique handle, e.g. `demo-university`.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    openEnrollment: t.exposeBoolean('openEnrollment', {
      description: 'Whether anyone may join as a student by signing up with this organization’s slug.',
    }),
    testVisibility: t.expose('testVisibility', {
      type: TestVisibilityEnum,
      description: 'How much of its hidden tests’ results its students see, for the items it owns.',
    }),
    viewerRole: t.field({
      type: RoleEnum,
      nullable: true,
      description: 'Your role in this organization; null when you are not a member.',
      resolve: (organization, _args, ctx) => ctx.viewer?.roles.get(organization.id) ?? null,
    }),
    classes: t.relatedConnection(
      'classes',
      {
        cursor: 'id',
        description: 'Classes of this organization you see, by name: those you teach or take; every class for admins.',
        totalCount: true,
        query: (_args, ctx) => ({
          where: visibleClassesWhere(ctx.viewer),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
      },
      { description: 'A page of classes.' },
      { description: 'A class in a page.' },
    ),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the organization was created.' }),
  }),
});

builder.prismaObject('Membership', {
  description: 'A user’s role in one organization.',
  fields: (t) => ({
    role: t.expose('role', { type: RoleEnum, description: 'The role.' }),
    organization: t.relation('organization', { description: 'The organization.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the user joined.' }),
  }),
});

builder.prismaObjectFields('User', (t) => ({
  memberships: t.relation('memberships', {
    description: 'Your memberships, one per organization, oldest first; empty for anyone but yourself.',
    query: (_args, ctx) => ({
      where: { userId: ctx.viewer?.userId ?? NO_USER },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  }),
  organizations: t.field({
    type: [OrganizationRef],
    description: 'The organizations you belong to, oldest membership first; empty for anyone but yourself.',
    select: (_args, ctx, nestedSelection) => ({
      memberships: {
        where: { userId: ctx.viewer?.userId ?? NO_USER },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { organization: nestedSelection(true) },
      },
    }),
    resolve: (user) => user.memberships.map((membership) => membership.organization),
  }),
}));

export const ClassRef = builder.prismaNode('Class', {
  id: { field: 'id' },
  nullable: true,
  description:
    'A class (cohort) in an organization, taught by instructors and taken by students. Visible to its instructors and students, and to the organization’s admins.',
  findUnique: (id, ctx) => ({ id, AND: [visibleClassesWhere(ctx.viewer)] }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name, unique in the organization.' }),
    organization: t.relation('organization', { description: 'The organization the class belongs to.' }),
    viewerRole: t.field({
      type: ClassRoleEnum,
      nullable: true,
      description: 'Your role in this class; null when you are not enrolled (an admin of the organization).',
      select: (_args, ctx) => ({
        enrollments: {
          where: { userId: ctx.viewer?.userId ?? NO_USER },
          select: { role: true },
        },
      }),
      resolve: (cls) => cls.enrollments[0]?.role ?? null,
    }),
    students: t.field({
      type: [UserRef],
      description: 'The students of the class, by name.',
      select: (_args, _ctx, nestedSelection) => ({
        enrollments: {
          where: { role: 'STUDENT' },
          orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
          select: { user: nestedSelection(true) },
        },
      }),
      resolve: (cls) => cls.enrollments.map((enrollment) => enrollment.user),
    }),
    enrollments: t.relatedConnection(
      'enrollments',
      {
        cursor: 'id',
        description: 'Who is in the class and in which role, instructors first, then by when they joined.',
        args: {
          role: t.arg({ type: ClassRoleEnum, required: false, description: 'Only people in this role.' }),
        },
        totalCount: true,
        query: (args) => ({
          where: args.role ? { role: args.role } : {},
          orderBy: [{ role: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
        }),
      },
      { description: 'A page of enrollments.' },
      { description: 'An enrollment in a page.' },
    ),
    assignments: t.relation('assignments', {
      description: 'The content assigned to the class, soonest due first (undated last).',
      query: { orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }] },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the class was created.' }),
  }),
});

builder.prismaNode('Enrollment', {
  id: { field: 'id' },
  nullable: true,
  description: 'A person’s place in a class, as a student or an instructor.',
  findUnique: (id, ctx) => ({ id, class: visibleClassesWhere(ctx.viewer) }),
  fields: (t) => ({
    role: t.expose('role', { type: ClassRoleEnum, description: 'Student or instructor.' }),
    user: t.relation('user', { description: 'The person enrolled.' }),
    class: t.relation('class', { description: 'The class.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When they were enrolled.' }),
  }),
});

builder.prismaNode('LlmModel', {
  id: { field: 'id' },
  nullable: true,
  description: 'A language model the platform can call.',
  fields: (t) => ({
    provider: t.exposeString('provider', {
      description: '`anthropic`, or `builtin` for the built-in coach and scorer.',
    }),
    name: t.exposeString('name', { description: 'The model’s name at its provider.' }),
    version: t.exposeString('version', { description: 'Version or snapshot; empty when unpinned.' }),
  }),
});

const ReferenceSolution = builder.objectRef<{ language: Language; code: string }>('ReferenceSolution').implement({
  description: 'A reference solution in one language.',
  fields: (t) => ({
    language: t.expose('language', { type: LanguageEnum, description: 'Language of the code.' }),
    code: t.exposeString('code', { description: 'The solution’s source code.' }),
  }),
});

builder.prismaNode('Assignment', {
  id: { field: 'id' },
  nullable: true,
  description: 'A content item given to a class, with a due date, support material and instructor-only solutions.',
  findUnique: (id, ctx) => ({ id, class: visibleClassesWhere(ctx.viewer) }),
  fields: (t) => ({
    class: t.relation('class', { description: 'The class it is assigned to.' }),
    contentItem: t.relation('contentItem', { description: 'The item to practice.' }),
    dueAt: t.expose('dueAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it is due; null for no deadline.',
    }),
    supportMaterials: t.exposeString('supportMaterials', {
      description: 'Markdown support material for the students; empty when none.',
    }),
    referenceSolutions: t.field({
      type: [ReferenceSolution],
      nullable: true,
      description:
        'Reference solutions, one per language; null unless you teach the class (or administer its organization).',
      select: (_args, ctx) => ({
        referenceSolutions: true,
        class: {
          select: {
            organizationId: true,
            enrollments: {
              where: { userId: ctx.viewer?.userId ?? NO_USER, role: 'INSTRUCTOR' },
              select: { id: true },
            },
          },
        },
      }),
      resolve: (assignment, _args, ctx) => {
        const teaches = assignment.class.enrollments.length > 0;
        const administers = ctx.viewer?.roles.get(assignment.class.organizationId) === 'ADMIN';
        return teaches || administers ? referenceSolutionsOf(assignment) : null;
      },
    }),
    llmModel: t.relation('llmModel', {
      nullable: true,
      description: 'The model the coach uses for this assignment; null for the platform default.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was assigned.' }),
  }),
});

builder.queryFields((t) => ({
  organization: t.prismaField({
    type: 'Organization',
    nullable: true,
    description: 'An organization you are a member of, by slug; null when it does not exist or you are not a member.',
    args: { slug: t.arg.string({ required: true, description: 'The organization’s slug, e.g. `demo-university`.' }) },
    resolve: (query, _root, { slug }, ctx) =>
      ctx.runtime.prisma.organization.findFirst({
        ...query,
        where: { slug, id: { in: memberOrganizationIds(ctx.viewer) } },
      }),
  }),
  classes: t.prismaConnection(
    {
      type: 'Class',
      cursor: 'id',
      description:
        'The classes you teach or take, by name; admins see every class of their organizations. Empty for anonymous visitors.',
      totalCount: (_parent, _args, ctx) => ctx.runtime.prisma.class.count({ where: visibleClassesWhere(ctx.viewer) }),
      resolve: (query, _root, _args, ctx) =>
        ctx.runtime.prisma.class.findMany({
          ...query,
          where: visibleClassesWhere(ctx.viewer),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    { description: 'A page of classes.' },
    { description: 'A class in a page.' },
  ),
}));

const CreateClassInput = builder.inputType('CreateClassInput', {
  description: 'A new class.',
  fields: (t) => ({
    organizationSlug: t.string({
      required: true,
      description: 'Slug of the organization; you must be one of its instructors or admins.',
    }),
    name: t.string({
      required: true,
      description: 'Name of the class, unique in the organization (1–100 characters).',
    }),
  }),
});

const EnrollStudentInput = builder.inputType('EnrollStudentInput', {
  description: 'Who to enroll in which class.',
  fields: (t) => ({
    classId: t.id({ required: true, description: 'Global ID of a class you teach.' }),
    email: t.string({
      required: true,
      description:
        'Email of the student; they must have an account. They join the organization as a student if needed.',
    }),
  }),
});

const CodeInput = builder.inputType('CodeInput', {
  description: 'Code in one language.',
  fields: (t) => ({
    language: t.field({ type: LanguageEnum, required: true, description: 'Language of the code.' }),
    code: t.string({ required: true, description: 'The source code (at most 64 KiB).' }),
  }),
});

const LlmModelInput = builder.inputType('LlmModelInput', {
  description: 'A language model, found or registered by provider, name and version.',
  fields: (t) => ({
    provider: t.string({ required: true, description: '`anthropic`, or `builtin` for the built-in coach.' }),
    name: t.string({ required: true, description: 'The model’s name at its provider.' }),
    version: t.string({ required: false, description: 'Version or snapshot; empty or absent when unpinned.' }),
  }),
});

const CreateAssignmentInput = builder.inputType('CreateAssignmentInput', {
  description: 'A content item to give to a class.',
  fields: (t) => ({
    classId: t.id({ required: true, description: 'Global ID of a class you teach.' }),
    contentItemId: t.id({
      required: true,
      description: 'Global ID of a published item of the global catalog or of the class’s organization.',
    }),
    dueAt: t.field({ type: 'DateTime', required: false, description: 'When it is due; absent for no deadline.' }),
    supportMaterials: t.string({
      required: false,
      description: 'Markdown support material shown to the students (at most 64 KiB).',
    }),
    referenceSolutions: t.field({
      type: [CodeInput],
      required: false,
      description: 'Reference solutions, at most one per language; only the class’s instructors see them.',
    }),
    llmModel: t.field({
      type: LlmModelInput,
      required: false,
      description: 'The model the coach uses for this assignment; absent for the platform default.',
    }),
  }),
});

const organizationErrors = [InvalidInputError, NotFoundError, ForbiddenError, ConflictError];

const SetTestVisibilityInput = builder.inputType('SetTestVisibilityInput', {
  description: 'How much of an organization’s hidden tests its students see.',
  fields: (t) => ({
    organizationId: t.id({ required: true, description: 'Global ID of the organization.' }),
    testVisibility: t.field({ type: TestVisibilityEnum, required: true, description: 'The new setting.' }),
  }),
});

builder.mutationFields((t) => ({
  setTestVisibility: t.prismaField({
    type: 'Organization',
    description:
      'Sets how much of its hidden tests’ results an organization’s students see, for the items it owns; for its admins. Applies to results read afterwards.',
    args: {
      input: t.arg({ type: SetTestVisibilityInput, required: true, description: 'The organization and the setting.' }),
    },
    errors: {
      types: organizationErrors,
      directResult: true,
      union: { name: 'SetTestVisibilityResult', description: 'The organization, or why the setting was not changed.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const organization = await setTestVisibility(ctx.runtime.prisma, ctx.viewer, {
        organizationId: idOf('Organization', input.organizationId, ['input', 'organizationId']),
        testVisibility: input.testVisibility,
      });
      return ctx.runtime.prisma.organization.findUniqueOrThrow({ ...query, where: { id: organization.id } });
    },
  }),
  createClass: t.prismaField({
    type: 'Class',
    description:
      'Creates a class in an organization where you are an instructor or admin, with you as its instructor. Retrying returns the class you already teach under that name; another class of that name is a Conflict.',
    args: { input: t.arg({ type: CreateClassInput, required: true, description: 'The class.' }) },
    errors: {
      types: organizationErrors,
      directResult: true,
      union: { name: 'CreateClassResult', description: 'The class, or why it was not created.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const cls = await createClass(ctx.runtime.prisma, ctx.viewer, input);
      return ctx.runtime.prisma.class.findUniqueOrThrow({ ...query, where: { id: cls.id } });
    },
  }),
  enrollStudent: t.prismaField({
    type: 'Enrollment',
    description:
      'Enrolls a user as a student of a class you teach (or whose organization you administer). Enrolling the same student again returns the same enrollment.',
    args: { input: t.arg({ type: EnrollStudentInput, required: true, description: 'The class and the student.' }) },
    errors: {
      types: organizationErrors,
      directResult: true,
      union: { name: 'EnrollStudentResult', description: 'The enrollment, or why the student was not enrolled.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const enrollment = await enrollStudent(ctx.runtime.prisma, ctx.viewer, {
        classId: idOf('Class', input.classId, ['input', 'classId']),
        email: input.email,
      });
      return ctx.runtime.prisma.enrollment.findUniqueOrThrow({ ...query, where: { id: enrollment.id } });
    },
  }),
  createAssignment: t.prismaField({
    type: 'Assignment',
    description:
      'Assigns a content item to a class you teach (or whose organization you administer). One assignment per class and item: retrying with the same details returns it; other details are a Conflict.',
    args: { input: t.arg({ type: CreateAssignmentInput, required: true, description: 'The assignment.' }) },
    errors: {
      types: organizationErrors,
      directResult: true,
      union: { name: 'CreateAssignmentResult', description: 'The assignment, or why it was not created.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const assignment = await createAssignment(ctx.runtime.prisma, ctx.viewer, {
        ...input,
        classId: idOf('Class', input.classId, ['input', 'classId']),
        contentItemId: idOf('ContentItem', input.contentItemId, ['input', 'contentItemId']),
      });
      return ctx.runtime.prisma.assignment.findUniqueOrThrow({ ...query, where: { id: assignment.id } });
    },
  }),
}));
