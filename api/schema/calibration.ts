/**
 * Calibrating question pools: a pool's authors ask for its questions' 2PL parameters to be
 * estimated again from the stored responses, read the proposal (per-question change and fit),
 * and accept it. Runs are visible to the pool's authors only.
 */
import { builder } from '../builder.js';
import { ConflictError } from '../errors.js';
import type { Prisma, Question } from '../generated/prisma/client.js';
import { CalibrationStatus } from '../generated/prisma/enums.js';
import {
  acceptCalibration,
  type CalibratedItem,
  calibratedItems,
  calibrateQuestionPool,
  calibrationReadersWhere,
  MIN_RESPONSES,
} from '../services/calibration.js';
import { QuestionRef } from './adaptive.js';
import { COMMON_ERRORS } from './errors.js';
import { idOf } from './practice.js';

const CalibrationStatusEnum = builder.enumType(CalibrationStatus, {
  name: 'CalibrationStatus',
  description: 'Where a calibration run is.',
  values: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'A worker is estimating the parameters.' },
    SUCCEEDED: { description: 'Estimated: the proposal waits to be accepted; nothing has changed yet.' },
    FAILED: { description: 'The estimation could not be made; `error` says why.' },
    ACCEPTED: { description: 'Accepted: its new parameters were applied to the questions whose `accepted` is true.' },
  },
});

const SkipReasonEnum = builder.enumType('CalibrationSkipReason', {
  description: 'Why a question kept its parameters in a calibration.',
  values: {
    FEW_RESPONSES: { description: 'It had fewer responses than the run’s `minResponses`.' },
    GUESSING: { description: 'It has a guessing parameter (3PL): a 2PL calibration leaves it as it is.' },
  } as const,
});

/** One question's result, with its question loaded. */
type CalibratedQuestion = CalibratedItem & { question: Question; accepted: boolean };

const CalibratedQuestionRef = builder.objectRef<CalibratedQuestion>('CalibratedQuestion').implement({
  description:
    'One question of a calibration run: its parameters before, the proposal, and how well the 2PL model fits its responses.',
  fields: (t) => ({
    question: t.field({ type: QuestionRef, description: 'The question.', resolve: (item) => item.question }),
    responses: t.exposeInt('responses', { description: 'Sessions that answered it (one examinee each).' }),
    calibrated: t.exposeBoolean('calibrated', {
      description: 'Whether it was estimated; if not, it keeps its parameters (see `skipReason`).',
    }),
    skipReason: t.field({
      type: SkipReasonEnum,
      nullable: true,
      description: 'Why it was not estimated; null when it was.',
      resolve: (item) => item.skipReason,
    }),
    discriminationBefore: t.float({
      description: 'Its discrimination (a) when the run read it.',
      resolve: (item) => item.before.discrimination,
    }),
    difficultyBefore: t.float({
      description: 'Its difficulty (b) when the run read it.',
      resolve: (item) => item.before.difficulty,
    }),
    discrimination: t.float({
      nullable: true,
      description: 'The proposed discrimination (a); null when not calibrated.',
      resolve: (item) => item.after?.discrimination ?? null,
    }),
    difficulty: t.float({
      nullable: true,
      description: 'The proposed difficulty (b), on the θ scale; null when not calibrated.',
      resolve: (item) => item.after?.difficulty ?? null,
    }),
    discriminationChange: t.float({
      nullable: true,
      description: 'Proposed minus previous discrimination; null when not calibrated.',
      resolve: (item) => (item.after ? item.after.discrimination - item.before.discrimination : null),
    }),
    difficultyChange: t.float({
      nullable: true,
      description: 'Proposed minus previous difficulty; null when not calibrated.',
      resolve: (item) => (item.after ? item.after.difficulty - item.before.difficulty : null),
    }),
    rmsd: t.float({
      nullable: true,
      description:
        'Item fit (RMSD): the root mean squared gap, over the ability scale, between the proportion correct the responses suggest and the model’s, of the proposal (of the current parameters when not calibrated). 0 is a perfect fit; above about 0.1 deserves a look (PISA flags 0.12). Null when nobody answered it.',
      resolve: (item) => item.rmsd,
    }),
    accepted: t.exposeBoolean('accepted', {
      description: 'Whether its proposal was applied when the run was accepted.',
    }),
  }),
});

/** The query Pothos plans for a relation to questions. */
type QuestionQuery = true | { select?: Prisma.QuestionSelect; include?: Prisma.QuestionInclude };

/**
 * `query` with the questions' ids and keys, whatever the client selected: the ids pair each
 * question with its result, the keys order them.
 */
function withIdAndKey(query: QuestionQuery): { select: Prisma.QuestionSelect } | { include?: Prisma.QuestionInclude } {
  if (query === true) return {};
  return query.select ? { ...query, select: { ...query.select, id: true, key: true } } : query;
}

const CalibrationRunRef = builder.prismaNode('CalibrationRun', {
  id: { field: 'id' },
  nullable: true,
  description:
    'One re-estimation of a pool’s 2PL parameters from its stored responses, by marginal maximum likelihood: a proposal, applied only once accepted. Visible to the pool’s instructors and admins.',
  findUnique: (id, ctx) => ({ id, AND: [calibrationReadersWhere(ctx.viewer)] }),
  fields: (t) => ({
    pool: t.relation('pool', { description: 'The pool calibrated.' }),
    status: t.expose('status', { type: CalibrationStatusEnum, description: 'Where it is.' }),
    requestedBy: t.relation('requestedBy', { description: 'Who asked for it.' }),
    minResponses: t.exposeInt('minResponses', {
      description: 'Responses a question needed to be estimated; those with fewer keep their parameters.',
    }),
    requestedAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was asked for.' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a worker started it.',
    }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it SUCCEEDED or FAILED.',
    }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true, description: 'When it was accepted.' }),
    acceptedBy: t.relation('acceptedBy', { nullable: true, description: 'Who accepted it.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it FAILED; null otherwise.' }),
    persons: t.exposeInt('persons', {
      nullable: true,
      description: 'Sessions whose responses it used, each one examinee; null until it has run.',
    }),
    iterations: t.exposeInt('iterations', {
      nullable: true,
      description: 'EM cycles it took; null until it has run.',
    }),
    converged: t.exposeBoolean('converged', {
      nullable: true,
      description: 'Whether the estimation converged before its cycle limit (if not, treat it with care).',
    }),
    items: t.field({
      type: [CalibratedQuestionRef],
      description: 'Every question of the pool as the run found it, by key; empty until it SUCCEEDED.',
      select: (_args, _ctx, nestedSelection) => ({
        items: true,
        acceptedQuestionIds: true,
        // The questions come with the run, in one query per level, whatever their number.
        pool: {
          select: {
            questions: withIdAndKey(nestedSelection(true, ['question'], 'Question') as unknown as QuestionQuery),
          },
        },
      }),
      resolve: (run) => {
        const questions = new Map(run.pool.questions.map((question) => [question.id, question as Question]));
        const accepted = new Set(run.acceptedQuestionIds);
        return calibratedItems(run)
          .flatMap((item) => {
            const question = questions.get(item.questionId);
            return question ? [{ ...item, question, accepted: accepted.has(item.questionId) }] : [];
          })
          .sort((x, y) => (x.question.key < y.question.key ? -1 : x.question.key > y.question.key ? 1 : 0));
      },
    }),
    calibratedCount: t.int({
      description: 'How many questions it estimated.',
      select: { items: true },
      resolve: (run) => calibratedItems(run).filter((item) => item.calibrated).length,
    }),
  }),
});

builder.prismaObjectField('QuestionPool', 'calibrations', (t) =>
  t.relation('calibrations', {
    description:
      'Its 20 latest calibration runs, newest first: for its instructors and admins (empty for anyone else).',
    query: (_args, ctx) => ({
      where: calibrationReadersWhere(ctx.viewer),
      orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
      take: 20,
    }),
  }),
);

const CalibrateQuestionPoolInput = builder.inputType('CalibrateQuestionPoolInput', {
  description: 'Which pool to calibrate, and how many responses a question needs to be estimated.',
  fields: (t) => ({
    poolId: t.id({ required: true, description: 'Global ID of the question pool.' }),
    minResponses: t.int({
      required: false,
      description: `Responses a question needs to be estimated (${MIN_RESPONSES.least}–${MIN_RESPONSES.most.toLocaleString('en')}, default ${MIN_RESPONSES.default}); those with fewer keep their parameters.`,
    }),
    idempotencyKey: t.string({
      required: true,
      description: 'A key you choose per request: a retry with the same key returns the same run.',
    }),
  }),
});

const AcceptCalibrationInput = builder.inputType('AcceptCalibrationInput', {
  description: 'A finished calibration run to apply, to all the questions it estimated or to some.',
  fields: (t) => ({
    runId: t.id({ required: true, description: 'Global ID of the calibration run.' }),
    questionIds: t.idList({
      required: false,
      description: 'Global IDs of the questions to apply it to (each one it estimated); default: all it estimated.',
    }),
  }),
});

builder.mutationFields((t) => ({
  calibrateQuestionPool: t.prismaField({
    type: CalibrationRunRef,
    description:
      'Queues a calibration of a pool you author: its questions’ 2PL parameters estimated again from the stored responses. It proposes; `acceptCalibration` applies.',
    args: {
      input: t.arg({ type: CalibrateQuestionPoolInput, required: true, description: 'The pool and the threshold.' }),
    },
    errors: {
      types: [...COMMON_ERRORS, ConflictError],
      directResult: true,
      union: { name: 'CalibrateQuestionPoolResult', description: 'The queued run, or why none was queued.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const run = await calibrateQuestionPool(ctx.runtime.prisma, ctx.runtime.jobs, ctx.viewer, {
        ...input,
        poolId: idOf('QuestionPool', String(input.poolId), ['input', 'poolId']),
      });
      return ctx.runtime.prisma.calibrationRun.findUniqueOrThrow({ ...query, where: { id: run.id } });
    },
  }),
  acceptCalibration: t.prismaField({
    type: CalibrationRunRef,
    description:
      'Applies a SUCCEEDED calibration: the questions take their new discrimination and difficulty, and later sessions use them. Accepting it again changes nothing.',
    args: { input: t.arg({ type: AcceptCalibrationInput, required: true, description: 'The run and the questions.' }) },
    errors: {
      types: [...COMMON_ERRORS, ConflictError],
      directResult: true,
      union: { name: 'AcceptCalibrationResult', description: 'The accepted run, or why it was not accepted.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const run = await acceptCalibration(ctx.runtime.prisma, ctx.viewer, {
        runId: idOf('CalibrationRun', String(input.runId), ['input', 'runId']),
        questionIds: input.questionIds?.map((id, index) =>
          idOf('Question', String(id), ['input', 'questionIds', String(index)]),
        ),
      });
      return ctx.runtime.prisma.calibrationRun.findUniqueOrThrow({ ...query, where: { id: run.id } });
    },
  }),
}));
