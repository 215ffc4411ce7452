/** Authoring question pools for adaptive tests: pools, bulk questions, retiring. For an organization’s instructors and admins. */
import { builder } from '../builder.js';
import { ConflictError } from '../errors.js';
import type { Question } from '../generated/prisma/client.js';
import { addQuestions, createQuestionPool, retireQuestion } from '../services/question-pools.js';
import { QuestionRef } from './adaptive.js';
import { COMMON_ERRORS } from './errors.js';
import { idOf } from './practice.js';

const CreateQuestionPoolInput = builder.inputType('CreateQuestionPoolInput', {
  description: 'A new pool of an organization you teach in or administer.',
  fields: (t) => ({
    organizationId: t.id({ required: true, description: 'Global ID of the owning organization.' }),
    slug: t.string({
      required: true,
      description: 'URL-safe handle, unique in the organization, e.g. `graphs-basics`.',
    }),
    name: t.string({ required: true, description: 'Display name.' }),
    description: t.string({ required: false, description: 'What it covers, in Markdown.' }),
    concepts: t.stringList({ required: true, description: 'The concepts its questions may cover, e.g. `GRAPHS`.' }),
  }),
});

const QuestionOptionInput = builder.inputType('QuestionOptionInput', {
  description: 'One answer option.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'One capital letter, e.g. `A`.' }),
    text: t.string({ required: true, description: 'The option, in Markdown.' }),
  }),
});

const QuestionInput = builder.inputType('QuestionInput', {
  description: 'One multiple-choice question and its IRT parameters.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Stable handle, unique in the pool, e.g. `graphs-007`.' }),
    stem: t.string({ required: true, description: 'The question, in Markdown.' }),
    options: t.field({ type: [QuestionOptionInput], required: true, description: 'The options, in the order shown.' }),
    correctOption: t.string({ required: true, description: 'The key of the correct option.' }),
    explanation: t.string({ required: false, description: 'Why it is correct, in Markdown (shown after answering).' }),
    concepts: t.stringList({ required: true, description: 'The concepts it measures (of the pool’s).' }),
    discrimination: t.float({ required: true, description: 'IRT discrimination (a), above 0 and at most 4.' }),
    difficulty: t.float({ required: true, description: 'IRT difficulty (b), from -4 to 4.' }),
    guessing: t.float({ required: false, description: 'IRT guessing (c), from 0 to below 1; omitted: 0 (2PL).' }),
  }),
});

const AddQuestionsInput = builder.inputType('AddQuestionsInput', {
  description: 'Questions to add to a pool, all or none.',
  fields: (t) => ({
    poolId: t.id({ required: true, description: 'Global ID of the pool.' }),
    questions: t.field({ type: [QuestionInput], required: true, description: 'The questions (1 to 1,000).' }),
  }),
});

const AddQuestionsPayload = builder.objectRef<{ questions: Question[] }>('AddQuestionsPayload').implement({
  description: 'The questions added.',
  fields: (t) => ({
    questions: t.field({ type: [QuestionRef], description: 'The new questions, by key.', resolve: (p) => p.questions }),
  }),
});

builder.mutationFields((t) => ({
  createQuestionPool: t.prismaField({
    type: 'QuestionPool',
    description: 'Creates a question pool of your organization.',
    args: { input: t.arg({ type: CreateQuestionPoolInput, required: true, description: 'The pool.' }) },
    errors: {
      types: [...COMMON_ERRORS, ConflictError],
      directResult: true,
      union: { name: 'CreateQuestionPoolResult', description: 'The new pool, or why it was not created.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const pool = await createQuestionPool(ctx.runtime.prisma, ctx.viewer, {
        ...input,
        organizationId: idOf('Organization', String(input.organizationId), ['input', 'organizationId']),
      });
      return ctx.runtime.prisma.questionPool.findUniqueOrThrow({ ...query, where: { id: pool.id } });
    },
  }),
  addQuestions: t.field({
    type: AddQuestionsPayload,
    description:
      'Adds questions to a pool in one go: all of them, or none, with every bad row named by index and field.',
    args: { input: t.arg({ type: AddQuestionsInput, required: true, description: 'The pool and its new questions.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'AddQuestionsResult', description: 'The questions added, or why none was.' },
    },
    resolve: async (_root, { input }, ctx) => ({
      questions: await addQuestions(ctx.runtime.prisma, ctx.viewer, {
        poolId: idOf('QuestionPool', String(input.poolId), ['input', 'poolId']),
        questions: input.questions,
      }),
    }),
  }),
  retireQuestion: t.prismaField({
    type: 'Question',
    description: 'Retires a question: adaptive tests no longer select it; past answers keep it.',
    args: { questionId: t.arg.id({ required: true, description: 'Global ID of the question.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'RetireQuestionResult', description: 'The retired question, or why it was not retired.' },
    },
    resolve: async (query, _root, args, ctx) => {
      const question = await retireQuestion(
        ctx.runtime.prisma,
        ctx.viewer,
        idOf('Question', String(args.questionId), ['questionId']),
      );
      return ctx.runtime.prisma.question.findUniqueOrThrow({ ...query, where: { id: question.id } });
    },
  }),
}));
