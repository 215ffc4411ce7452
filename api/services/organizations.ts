/**
 * Organizations and instructors: classes, enrollments and assignments. Instructors and
 * admins create classes; a class's instructors enroll students and assign content.
 * Every write a retry could repeat returns what the first call created.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { ConflictError, ForbiddenError, NotFoundError, parseInput } from '../errors.js';
import { type Assignment, type Class, type Enrollment, type Organization, Prisma } from '../generated/prisma/client.js';
import type { Language, TestVisibility } from '../generated/prisma/enums.js';
import { requireOrganizationAdmin, visibleClassesWhere } from './access.js';
import { MAX_SOURCE_LENGTH } from './practice.js';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * A class the viewer manages, or NotFound when they cannot see it and Forbidden when they
 * see it without managing it (a student of the class).
 */
export async function managedClass(prisma: PrismaClient, viewer: Viewer, classId: string): Promise<Class> {
  const found = await prisma.class.findFirst({
    where: { id: classId, AND: [visibleClassesWhere(viewer)] },
    include: { enrollments: { where: { userId: viewer.userId, role: 'INSTRUCTOR' }, select: { id: true } } },
  });
  if (!found) throw new NotFoundError('Class');
  const { enrollments, ...cls } = found;
  const admin = viewer.roles.get(cls.organizationId) === 'ADMIN';
  if (enrollments.length === 0 && !admin) throw new ForbiddenError('Only the instructors of this class may do this.');
  return cls;
}

const className = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const createClassSchema = z.object({
  organizationSlug: z.string().trim().min(1, 'must not be empty'),
  name: className,
});

/**
 * Creates a class in an organization where the viewer is an instructor or admin, and
 * enrolls the viewer as its instructor. A class of the same name that the viewer already
 * teaches is returned as is (a retried call); any other class of that name is a Conflict.
 */
export async function createClass(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: { organizationSlug: string; name: string },
): Promise<Class> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to create a class.');
  const data = parseInput(createClassSchema, input);
  const organization = await prisma.organization.findUnique({ where: { slug: data.organizationSlug } });
  const role = organization ? viewer.roles.get(organization.id) : undefined;
  // Outsiders learn nothing about the organization, not even that it exists.
  if (!organization || role === undefined) throw new NotFoundError('Organization');
  if (role === 'STUDENT') throw new ForbiddenError('Only instructors and admins of the organization create classes.');

  const existingOrConflict = async (): Promise<Class> => {
    const existing = await prisma.class.findUnique({
      where: { organizationId_name: { organizationId: organization.id, name: data.name } },
      include: { enrollments: { where: { userId: viewer.userId, role: 'INSTRUCTOR' }, select: { id: true } } },
    });
    if (!existing) throw new Error('The class vanished while being created; retry.');
    const { enrollments, ...cls } = existing;
    if (enrollments.length === 0) {
      throw new ConflictError(`${organization.name} already has a class named "${data.name}".`);
    }
    return cls;
  };

  const existing = await prisma.class.findUnique({
    where: { organizationId_name: { organizationId: organization.id, name: data.name } },
    select: { id: true },
  });
  if (existing) return existingOrConflict();
  try {
    // A nested create runs in one transaction: the class never exists without its instructor.
    return await prisma.class.create({
      data: {
        organizationId: organization.id,
        name: data.name,
        enrollments: { create: { userId: viewer.userId, role: 'INSTRUCTOR' } },
      },
    });
  } catch (error) {
    // A concurrent call created it first: same rule as a retry.
    if (isUniqueViolation(error)) return existingOrConflict();
    throw error;
  }
}

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'));

const enrollStudentSchema = z.object({ classId: z.string(), email });

/**
 * Enrolls an existing user as a student of a class the viewer manages, making them a
 * student of the class's organization if they are not a member yet. Enrolling the same
 * student again returns the same enrollment; enrolling one of the class's instructors is a
 * Conflict.
 */
export async function enrollStudent(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: { classId: string; email: string },
): Promise<Enrollment> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to enroll students.');
  const data = parseInput(enrollStudentSchema, input);
  const cls = await managedClass(prisma, viewer, data.classId);
  const user = await prisma.user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (!user) throw new NotFoundError('User', `No user has the email ${data.email}; they must sign up first.`);

  const enroll = () =>
    prisma.$transaction(async (tx) => {
      // Existing members keep their role; only newcomers join as students.
      await tx.membership.upsert({
        where: { userId_organizationId: { userId: user.id, organizationId: cls.organizationId } },
        create: { userId: user.id, organizationId: cls.organizationId, role: 'STUDENT' },
        update: {},
      });
      return tx.enrollment.upsert({
        where: { classId_userId: { classId: cls.id, userId: user.id } },
        create: { classId: cls.id, userId: user.id, role: 'STUDENT' },
        update: {},
      });
    });
  let enrollment: Enrollment;
  try {
    enrollment = await enroll();
  } catch (error) {
    // Two enrollments of the same student raced; the second now finds the first.
    if (!isUniqueViolation(error)) throw error;
    enrollment = await enroll();
  }
  if (enrollment.role !== 'STUDENT') throw new ConflictError(`${data.email} teaches this class.`);
  return enrollment;
}

const languageSchema = z.enum(['JAVASCRIPT', 'TYPESCRIPT', 'PYTHON']);

const createAssignmentSchema = z.object({
  classId: z.string(),
  contentItemId: z.string(),
  dueAt: z.date().nullish(),
  supportMaterials: z
    .string()
    .max(MAX_SOURCE_LENGTH, `must be at most ${MAX_SOURCE_LENGTH} characters`)
    .nullish()
    .transform((value) => value ?? ''),
  referenceSolutions: z
    .array(
      z.object({
        language: languageSchema,
        code: z
          .string()
          .max(MAX_SOURCE_LENGTH, `must be at most ${MAX_SOURCE_LENGTH} characters`)
          .refine((value) => value.trim().length > 0, 'must not be empty'),
      }),
    )
    .max(languageSchema.options.length)
    .nullish()
    .transform((value) => value ?? [])
    .superRefine((solutions, context) => {
      const seen = new Set<string>();
      solutions.forEach((solution, index) => {
        if (seen.has(solution.language)) {
          context.addIssue({ code: 'custom', path: [index, 'language'], message: 'is given twice' });
        }
        seen.add(solution.language);
      });
    }),
  llmModel: z
    .object({
      provider: z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lower-case name such as `anthropic` or `builtin`'),
      name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
      version: z
        .string()
        .trim()
        .max(100, 'must be at most 100 characters')
        .nullish()
        .transform((value) => value ?? ''),
    })
    .nullish(),
});

/** What `createAssignment` takes; IDs are database IDs. */
export type CreateAssignmentInput = z.input<typeof createAssignmentSchema>;

/** Reference solutions as stored on an assignment: code per language. */
export type ReferenceSolutions = Partial<Record<Language, string>>;

/** Reads an assignment's stored reference solutions, in language order. */
export function referenceSolutionsOf(assignment: Pick<Assignment, 'referenceSolutions'>): {
  language: Language;
  code: string;
}[] {
  const stored = (assignment.referenceSolutions ?? {}) as ReferenceSolutions;
  return languageSchema.options.flatMap((language) => {
    const code = stored[language];
    return typeof code === 'string' ? [{ language, code }] : [];
  });
}

/**
 * Assigns a content item to a class the viewer manages. The item must be published and
 * visible to the class's organization (global, or owned by it). One assignment per class
 * and item: a retry with the same details returns the existing assignment, other details
 * are a Conflict. The LLM model, when given, is found or created by (provider, name, version).
 */
export async function createAssignment(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: CreateAssignmentInput,
): Promise<Assignment> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to assign content.');
  const data = parseInput(createAssignmentSchema, input);
  const cls = await managedClass(prisma, viewer, data.classId);
  const item = await prisma.contentItem.findFirst({
    where: { id: data.contentItemId, OR: [{ organizationId: null }, { organizationId: cls.organizationId }] },
    select: { id: true, organizationId: true, currentVersionId: true },
  });
  // A global item nobody published yet is invisible to everyone, like one of another organization.
  if (!item || (item.organizationId === null && item.currentVersionId === null)) {
    throw new NotFoundError('ContentItem');
  }
  if (item.currentVersionId === null) {
    throw new ConflictError('Publish this item before assigning it: students could not start it.');
  }
  const llmModelId = data.llmModel ? (await upsertLlmModel(prisma, data.llmModel)).id : null;
  const referenceSolutions: ReferenceSolutions = Object.fromEntries(
    data.referenceSolutions.map((solution) => [solution.language, solution.code]),
  );
  const values = {
    dueAt: data.dueAt ?? null,
    supportMaterials: data.supportMaterials,
    referenceSolutions,
    llmModelId,
  };

  const existingOrConflict = async (): Promise<Assignment> => {
    const existing = await prisma.assignment.findUniqueOrThrow({
      where: { classId_contentItemId: { classId: cls.id, contentItemId: item.id } },
    });
    const same =
      (existing.dueAt?.getTime() ?? null) === (values.dueAt?.getTime() ?? null) &&
      existing.supportMaterials === values.supportMaterials &&
      existing.llmModelId === values.llmModelId &&
      isDeepStrictEqual(existing.referenceSolutions, values.referenceSolutions);
    if (!same) throw new ConflictError('This item is already assigned to this class, with other details.');
    return existing;
  };

  const existing = await prisma.assignment.findUnique({
    where: { classId_contentItemId: { classId: cls.id, contentItemId: item.id } },
    select: { id: true },
  });
  if (existing) return existingOrConflict();
  try {
    return await prisma.assignment.create({ data: { classId: cls.id, contentItemId: item.id, ...values } });
  } catch (error) {
    if (isUniqueViolation(error)) return existingOrConflict();
    throw error;
  }
}

async function upsertLlmModel(
  prisma: PrismaClient,
  model: { provider: string; name: string; version: string },
): Promise<{ id: string }> {
  const upsert = () =>
    prisma.llmModel.upsert({
      where: { provider_name_version: model },
      create: model,
      update: {},
      select: { id: true },
    });
  try {
    return await upsert();
  } catch (error) {
    // Another request created the same model between the lookup and the insert.
    if (!isUniqueViolation(error)) throw error;
    return upsert();
  }
}

/**
 * Sets how much of its hidden tests' results an organization's students see (for the items
 * it owns); for its admins. Setting the same value again changes nothing.
 */
export async function setTestVisibility(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: { organizationId: string; testVisibility: TestVisibility },
): Promise<Organization> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to change how hidden tests are shown.');
  requireOrganizationAdmin(viewer, input.organizationId, 'set how hidden tests are shown');
  return prisma.organization.update({
    where: { id: input.organizationId },
    data: { testVisibility: input.testVisibility },
  });
}
