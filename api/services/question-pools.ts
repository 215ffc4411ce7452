/**
 * Authoring question pools: an organization's instructors and admins create pools, add
 * questions in bulk (all or nothing, each bad row named by index and field) and retire them.
 */
import { z } from 'zod';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import {
  ConflictError,
  ForbiddenError,
  type InputIssue,
  InvalidInputError,
  NotFoundError,
  parseInput,
} from '../errors.js';
import { Prisma, type Question, type QuestionPool } from '../generated/prisma/client.js';
import { canAuthor } from './content.js';

const slugSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. `graphs-basics`');
const conceptSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be SCREAMING_CASE, e.g. `TWO_POINTERS`')
  .max(60, 'must be at most 60 characters');

const createPoolSchema = z.object({
  organizationId: z.string(),
  slug: slugSchema,
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  description: z.string().max(10_000, 'must be at most 10,000 characters').nullish(),
  concepts: z.array(conceptSchema).min(1, 'must name at least one concept').max(50, 'must be at most 50'),
});

/** One question as an author sends it. */
const questionSchema = z
  .object({
    key: slugSchema,
    stem: z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10,000 characters'),
    options: z
      .array(
        z.object({
          key: z.string().regex(/^[A-Z]$/, 'must be one capital letter'),
          text: z.string().trim().min(1, 'must not be empty').max(2_000),
        }),
      )
      .min(2, 'must have at least 2 options')
      .max(8, 'must have at most 8 options'),
    correctOption: z.string(),
    explanation: z.string().max(10_000).nullish(),
    concepts: z.array(conceptSchema).min(1, 'must name at least one concept'),
    discrimination: z.number().gt(0, 'must be above 0').max(4, 'must be at most 4'),
    difficulty: z.number().min(-4, 'must be at least -4').max(4, 'must be at most 4'),
    guessing: z.number().min(0, 'must be at least 0').lt(1, 'must be below 1').nullish(),
  })
  .superRefine((question, ctx) => {
    const keys = question.options.map((option) => option.key);
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'keys must differ' });
    if (!keys.includes(question.correctOption)) {
      ctx.addIssue({ code: 'custom', path: ['correctOption'], message: `must be one of ${keys.join(', ')}` });
    }
  });

const addQuestionsSchema = z.object({
  poolId: z.string(),
  questions: z.array(z.unknown()).min(1, 'must hold at least one question').max(1_000, 'must hold at most 1,000'),
});

/** The pool, if the viewer authors it; NotFound if they may not see it, Forbidden if they only may. */
export async function authoredPool(prisma: PrismaClient, viewer: Viewer, poolId: string): Promise<QuestionPool> {
  const pool = await prisma.questionPool.findUnique({ where: { id: poolId } });
  const member = pool && (pool.organizationId === null || viewer.roles.has(pool.organizationId));
  if (!pool || !member) throw new NotFoundError('QuestionPool');
  if (!canAuthor(viewer, pool.organizationId)) {
    throw new ForbiddenError('Only the instructors and admins of the pool’s organization may change it.');
  }
  return pool;
}

/** Creates a pool of an organization the viewer teaches in or administers. */
export async function createQuestionPool(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof createPoolSchema>,
): Promise<QuestionPool> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to create a question pool.');
  const data = parseInput(createPoolSchema, input);
  if (!viewer.roles.has(data.organizationId)) throw new NotFoundError('Organization');
  if (!canAuthor(viewer, data.organizationId)) {
    throw new ForbiddenError('Only instructors and admins of the organization may create its pools.');
  }
  try {
    return await prisma.questionPool.create({
      data: {
        organizationId: data.organizationId,
        scope: data.organizationId,
        slug: data.slug,
        name: data.name,
        description: data.description ?? '',
        concepts: [...new Set(data.concepts)],
      },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError(`The organization already has a pool with the slug "${data.slug}".`);
    }
    throw error;
  }
}

/**
 * Adds questions to a pool, all or none: every bad row is named by its index and field
 * (`input.questions.3.correctOption`), as is a key already in the pool or repeated in the batch.
 */
export async function addQuestions(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof addQuestionsSchema>,
): Promise<Question[]> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to add questions.');
  const { poolId, questions } = parseInput(addQuestionsSchema, input);
  const pool = await authoredPool(prisma, viewer, poolId);
  const issues: InputIssue[] = [];
  const rows: (z.infer<typeof questionSchema> & { index: number })[] = [];
  questions.forEach((raw, index) => {
    const parsed = questionSchema.safeParse(raw, {
      error: (issue) => (issue.input === undefined ? 'is required' : undefined),
    });
    if (parsed.success) rows.push({ ...parsed.data, index });
    else {
      for (const issue of parsed.error.issues) {
        issues.push({ path: ['input', 'questions', String(index), ...issue.path.map(String)], message: issue.message });
      }
    }
  });
  const existing = new Set(
    (await prisma.question.findMany({ where: { poolId }, select: { key: true } })).map((question) => question.key),
  );
  const seen = new Set<string>();
  questions.forEach((raw, index) => {
    const key = (raw as { key?: unknown } | null)?.key;
    if (typeof key !== 'string') return;
    const path = ['input', 'questions', String(index), 'key'];
    if (existing.has(key)) issues.push({ path, message: `"${key}" is already a question of this pool` });
    else if (seen.has(key)) issues.push({ path, message: `"${key}" appears twice in this batch` });
    seen.add(key);
  });
  const unknownConcepts = rows.flatMap((row) =>
    row.concepts
      .filter((concept) => !pool.concepts.includes(concept))
      .map((concept) => ({ index: row.index, concept })),
  );
  for (const { index, concept } of unknownConcepts) {
    issues.push({
      path: ['input', 'questions', String(index), 'concepts'],
      message: `${concept} is not a concept of this pool`,
    });
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return prisma.$transaction(async (tx) => {
    // Copies of the pool held by running processes are read again (api/adaptive/pools.ts).
    await tx.questionPool.update({ where: { id: poolId }, data: { revision: { increment: 1 } } });
    await tx.question.createMany({
      data: rows.map((row) => ({
        poolId,
        key: row.key,
        stem: row.stem,
        options: row.options,
        correctOption: row.correctOption,
        explanation: row.explanation ?? '',
        concepts: row.concepts,
        discrimination: row.discrimination,
        difficulty: row.difficulty,
        guessing: row.guessing ?? 0,
      })),
    });
    return tx.question.findMany({
      where: { poolId, key: { in: rows.map((row) => row.key) } },
      orderBy: { key: 'asc' },
    });
  });
}

/** Retires a question: no longer selected; its past responses keep it. Retiring twice changes nothing. */
export async function retireQuestion(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  questionId: string,
): Promise<Question> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to retire a question.');
  const question = await prisma.question.findUnique({ where: { id: questionId } });
  if (!question) throw new NotFoundError('Question');
  await authoredPool(prisma, viewer, question.poolId);
  if (question.status === 'RETIRED') return question;
  const [, retired] = await prisma.$transaction([
    prisma.questionPool.update({ where: { id: question.poolId }, data: { revision: { increment: 1 } } }),
    prisma.question.update({ where: { id: questionId }, data: { status: 'RETIRED' } }),
  ]);
  return retired;
}

/** How a question has fared in the tests that asked it. */
export interface QuestionStatistics {
  /** Sessions it was given to. */
  administered: number;
  /** `administered` over the pool's sessions; null before the first session. */
  exposureRate: number | null;
  /** Answers to it. */
  responses: number;
  /** The share of those answers that were right; null before the first. */
  proportionCorrect: number | null;
  /**
   * Point-biserial correlation of answering it right with the session's θ; null until it
   * can be computed (two answers, some right and some wrong).
   */
  pointBiserial: number | null;
}

/** The statistics of these questions, in one statement (unknown ids are left out). */
export async function questionStatistics(
  prisma: PrismaClient,
  questionIds: readonly string[],
): Promise<Map<string, QuestionStatistics>> {
  if (questionIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<
    {
      id: string;
      administered: number;
      sessions: number;
      responses: bigint;
      right: number | null;
      rpb: number | null;
    }[]
  >`
    SELECT q."id"::text AS id, q."administered", p."sessionCount" AS sessions,
           count(r."id") AS responses,
           avg(CASE WHEN r."correct" THEN 1.0 WHEN NOT r."correct" THEN 0.0 END)::float8 AS "right",
           corr(CASE WHEN r."correct" THEN 1.0 WHEN NOT r."correct" THEN 0.0 END, s."theta")::float8 AS rpb
    FROM "Question" q
    JOIN "QuestionPool" p ON p."id" = q."poolId"
    LEFT JOIN "TestResponse" r ON r."questionId" = q."id"
    LEFT JOIN "AdaptiveTestSession" s ON s."id" = r."sessionId"
    WHERE q."id" IN (${Prisma.join(questionIds.map((id) => Prisma.sql`${id}::uuid`))})
    GROUP BY q."id", p."sessionCount"`;
  return new Map(
    rows.map((row) => [
      row.id,
      {
        administered: row.administered,
        exposureRate: row.sessions > 0 ? row.administered / row.sessions : null,
        responses: Number(row.responses),
        proportionCorrect: row.right,
        pointBiserial: row.rpb,
      },
    ]),
  );
}
