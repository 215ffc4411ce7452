/**
 * Adaptive tests: question pools, their questions, and sessions that adapt to the student
 * (IRT, jsCAT), with θ overall and per concept. A question's correct option and explanation
 * are never shown to a student before they have answered it.
 */
import DataLoader from 'dataloader';
import { conceptMastery, MAX_EXPOSURE_RATE } from '../adaptive/engine.js';
import type { Viewer } from '../auth/viewer.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { ConflictError, ExpiredError } from '../errors.js';
import { AbilityEstimator, AdaptiveSessionStatus, QuestionStatus } from '../generated/prisma/enums.js';
import { historyOwnersWhere } from '../services/access.js';
import { authoringOrganizationIds, canAuthor } from '../services/content.js';
import {
  abandonAdaptiveTest,
  answerQuestion,
  effectiveStatus,
  sessionConceptEstimates,
  startAdaptiveTest,
  visiblePoolsWhere,
} from '../services/adaptive.js';
import { questionStatistics, type QuestionStatistics } from '../services/question-pools.js';
import { COMMON_ERRORS } from './errors.js';
import { idOf } from './practice.js';

const QuestionStatusEnum = builder.enumType(QuestionStatus, {
  name: 'QuestionStatus',
  description: 'Whether a question is still given.',
  values: {
    ACTIVE: { description: 'Selected by adaptive tests.' },
    RETIRED: { description: 'No longer selected; past responses keep it.' },
  },
});

const AdaptiveSessionStatusEnum = builder.enumType(AdaptiveSessionStatus, {
  name: 'AdaptiveSessionStatus',
  description: 'Where an adaptive test session is.',
  values: {
    ACTIVE: { description: 'Questions are being answered.' },
    COMPLETED: { description: 'Stopped by its rule (see `stopReason`).' },
    EXPIRED: { description: 'Left idle too long; its responses stay.' },
    ABANDONED: { description: 'Ended by the student before it stopped.' },
  },
});

const AbilityEstimatorEnum = builder.enumType(AbilityEstimator, {
  name: 'AbilityEstimator',
  description: 'How θ is estimated.',
  values: {
    EAP: { description: 'Expected a posteriori with a normal prior N(0, 1) (the default).' },
    MLE: { description: 'Maximum likelihood.' },
  },
});

interface Proficiency {
  theta: number;
  standardError: number;
}

const ProficiencyRef = builder.objectRef<Proficiency>('Proficiency').implement({
  description: 'An ability estimate on the IRT scale (θ; 0 is the average examinee, ±1 one standard deviation).',
  fields: (t) => ({
    theta: t.exposeFloat('theta', { description: 'The estimate θ.' }),
    standardError: t.exposeFloat('standardError', { description: 'Its standard error: smaller is surer.' }),
  }),
});

const ConceptProficiencyRef = builder
  .objectRef<Proficiency & { concept: string; responses: number }>('SessionConceptProficiency')
  .implement({
    description: 'θ in one concept, from the answers to that concept’s questions in the session.',
    fields: (t) => ({
      concept: t.exposeString('concept', { description: 'The concept, e.g. `HASHING`.' }),
      theta: t.exposeFloat('theta', { description: 'The estimate θ in this concept.' }),
      standardError: t.exposeFloat('standardError', { description: 'Its standard error.' }),
      confidence: t.float({
        description: 'How sure the estimate is, from 0 (the prior alone) to 1: 1 − standard error / prior’s.',
        resolve: (c) => Math.max(0, Math.min(1, 1 - c.standardError)),
      }),
      responses: t.exposeInt('responses', { description: 'Answers it rests on.' }),
    }),
  });

const QuestionOptionRef = builder.objectRef<{ key: string; text: string }>('QuestionOption').implement({
  description: 'One answer option of a question.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'What to answer with, e.g. `A`.' }),
    text: t.exposeString('text', { description: 'The option, in Markdown.' }),
  }),
});

builder.prismaNode('QuestionPool', {
  id: { field: 'id' },
  nullable: true,
  description: 'A bank of multiple-choice questions adaptive tests draw from: global, or an organization’s.',
  findUnique: (id, ctx) => ({ id, AND: [visiblePoolsWhere(ctx.viewer)] }),
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL-safe handle, unique within its owner.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { description: 'What it covers, in Markdown.' }),
    organization: t.relation('organization', {
      nullable: true,
      description: 'The owning organization; null for a global pool.',
    }),
    concepts: t.exposeStringList('concepts', { description: 'The concepts its questions cover.' }),
    questionCount: t.relationCount('questions', {
      where: { status: 'ACTIVE' },
      description: 'Active questions in the pool.',
    }),
    viewerCanAuthor: t.boolean({
      description: 'Whether you may add, retire and review its questions (its organization’s instructors and admins).',
      resolve: (pool, _args, ctx) => canAuthor(ctx.viewer, pool.organizationId),
    }),
    questions: t.relation('questions', {
      description:
        'Its questions by key, with their answers and statistics: for the instructors and admins of its organization (empty for anyone else, so a test’s questions cannot be read ahead).',
      args: {
        status: t.arg({ type: QuestionStatusEnum, required: false, description: 'Only questions in this status.' }),
      },
      query: (args, ctx) => ({
        where: {
          pool: { organizationId: { in: authoringOrganizationIds(ctx.viewer) } },
          ...(args.status ? { status: args.status } : {}),
        },
        orderBy: { key: 'asc' as const },
      }),
    }),
  }),
});

/** One loader of question statistics per operation: a page of questions costs one statement. */
const statisticsLoaders = new WeakMap<Context, DataLoader<string, QuestionStatistics | null>>();
function statisticsOf(ctx: Context, questionId: string) {
  let loader = statisticsLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const found = await questionStatistics(ctx.runtime.prisma, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    statisticsLoaders.set(ctx, loader);
  }
  return loader.load(questionId);
}

const QuestionStatisticsRef = builder.objectRef<QuestionStatistics>('QuestionStatistics').implement({
  description: 'How a question has fared in the tests that asked it.',
  fields: (t) => ({
    administered: t.exposeInt('administered', { description: 'Sessions it was given to.' }),
    exposureRate: t.exposeFloat('exposureRate', {
      nullable: true,
      description: `The share of the pool's sessions it was given to (kept at or below ${MAX_EXPOSURE_RATE}); null before the first session.`,
    }),
    responses: t.exposeInt('responses', { description: 'Answers to it.' }),
    proportionCorrect: t.exposeFloat('proportionCorrect', {
      nullable: true,
      description: 'The share of the answers that were right (classical difficulty); null before the first.',
    }),
    pointBiserial: t.exposeFloat('pointBiserial', {
      nullable: true,
      description:
        'Correlation of answering it right with the session’s θ (point-biserial discrimination: low or negative flags a weak or miskeyed question); null until some answers are right and some wrong.',
    }),
  }),
});

/**
 * Whether the viewer may see a question's answer: its pool's instructors, and anyone who may
 * read a response to it (a student who answered it; their instructors and admins, who read
 * their tests). A student never sees it before answering.
 */
function answerShown(
  question: { pool: { organizationId: string | null }; responses: unknown[] },
  viewer: Viewer | null,
) {
  return canAuthor(viewer, question.pool.organizationId) || question.responses.length > 0;
}

/** What a Question's answer fields select: the pool's owner, and one response to it the viewer may read. */
const answerSelect = (viewer: Viewer | null) => ({
  pool: { select: { organizationId: true } },
  responses: {
    where: viewer ? { session: { user: historyOwnersWhere(viewer) } } : { id: { in: [] } },
    select: { id: true },
    take: 1,
  },
});

export const QuestionRef = builder.prismaNode('Question', {
  id: { field: 'id' },
  nullable: true,
  description: 'A multiple-choice question with its IRT parameters.',
  findUnique: (id, ctx) => ({ id, pool: visiblePoolsWhere(ctx.viewer) }),
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable handle within the pool, e.g. `hashing-017`.' }),
    stem: t.exposeString('stem', { description: 'The question, in Markdown.' }),
    options: t.field({
      type: [QuestionOptionRef],
      description: 'The options, in the order shown.',
      resolve: (q) => q.options as { key: string; text: string }[],
    }),
    concepts: t.exposeStringList('concepts', { description: 'The concepts it measures.' }),
    discrimination: t.exposeFloat('discrimination', { description: 'IRT discrimination (a).' }),
    difficulty: t.exposeFloat('difficulty', { description: 'IRT difficulty (b), on the θ scale.' }),
    guessing: t.float({
      nullable: true,
      description: 'IRT guessing (c), the chance of a right answer by luck; null for the 2PL model.',
      resolve: (q) => (q.guessing > 0 ? q.guessing : null),
    }),
    status: t.expose('status', { type: QuestionStatusEnum, description: 'Whether it is still given.' }),
    correctOption: t.string({
      nullable: true,
      description:
        'The key of the correct option: for the pool’s instructors, for a student only once they have answered it, and for those who read their tests (their instructors) from then on.',
      select: (_args, ctx) => answerSelect(ctx.viewer),
      resolve: (q, _args, ctx) => (answerShown(q, ctx.viewer) ? q.correctOption : null),
    }),
    explanation: t.string({
      nullable: true,
      description: 'Why the correct option is right, in Markdown: shown as `correctOption` is.',
      select: (_args, ctx) => answerSelect(ctx.viewer),
      resolve: (q, _args, ctx) => (answerShown(q, ctx.viewer) ? q.explanation : null),
    }),
    pool: t.relation('pool', { description: 'The pool it belongs to.' }),
    statistics: t.field({
      type: QuestionStatisticsRef,
      nullable: true,
      description: 'How it has fared: for the instructors and admins of its pool’s organization; null for anyone else.',
      select: { pool: { select: { organizationId: true } } },
      resolve: (q, _args, ctx) => (canAuthor(ctx.viewer, q.pool.organizationId) ? statisticsOf(ctx, q.id) : null),
    }),
  }),
});

builder.prismaObject('TestResponse', {
  description: 'One answer in an adaptive test.',
  fields: (t) => ({
    question: t.relation('question', { description: 'The question answered.' }),
    choice: t.exposeString('choice', { description: 'The option key chosen.' }),
    correct: t.exposeBoolean('correct', { description: 'Whether it was the correct option.' }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', description: 'When it was answered.' }),
    thetaBefore: t.exposeFloat('thetaBefore', { description: 'θ before this answer.' }),
    thetaAfter: t.exposeFloat('thetaAfter', { description: 'θ after it.' }),
    standardErrorAfter: t.exposeFloat('standardErrorAfter', { description: 'The standard error of θ after it.' }),
    latencyMs: t.exposeInt('latencyMs', {
      nullable: true,
      description: 'From the question being shown to the answer, as the client measured it.',
    }),
  }),
});

/** What the computed session fields read: its responses with their questions' parameters. */
const responsesSelect = {
  responses: {
    orderBy: { position: 'asc' as const },
    select: {
      correct: true,
      question: { select: { id: true, discrimination: true, difficulty: true, guessing: true, concepts: true } },
    },
  },
};

const SessionRef = builder.prismaNode('AdaptiveTestSession', {
  id: { field: 'id' },
  nullable: true,
  description:
    'One adaptive test: each question is chosen for the student’s current θ. Visible to the student, their instructors and their organization’s admins.',
  findUnique: (id, ctx) => ({ id, user: historyOwnersWhere(ctx.viewer) }),
  fields: (t) => ({
    pool: t.relation('pool', { description: 'The pool it draws from.' }),
    user: t.relation('user', { description: 'The student.' }),
    status: t.field({
      type: AdaptiveSessionStatusEnum,
      description: 'Where it is now (an idle session past its expiry reads EXPIRED).',
      resolve: (s) => effectiveStatus(s),
    }),
    stopReason: t.string({
      nullable: true,
      description: 'Why it stopped: STANDARD_ERROR, MAX_QUESTIONS, POOL_EXHAUSTED, EXPIRED or ABANDONED.',
      resolve: (s) => (effectiveStatus(s) === 'EXPIRED' ? 'EXPIRED' : s.stopReason),
    }),
    estimator: t.expose('estimator', { type: AbilityEstimatorEnum, description: 'How θ is estimated.' }),
    maxQuestions: t.exposeInt('maxQuestions', { description: 'It stops after this many answers.' }),
    targetStandardError: t.exposeFloat('targetStandardError', {
      description: 'It stops once the standard error of θ is at most this.',
    }),
    concepts: t.exposeStringList('concepts', { description: 'The concepts asked about (empty: all of the pool’s).' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When it started.' }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime', description: 'When it was last answered.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When it expires if left idle.' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'When it ended.' }),
    proficiency: t.field({
      type: ProficiencyRef,
      description: 'θ and its standard error now.',
      resolve: (s) => ({ theta: s.theta, standardError: s.standardError }),
    }),
    initialProficiency: t.field({
      type: ProficiencyRef,
      description: 'θ and its standard error before the first answer.',
      resolve: (s) => ({ theta: s.initialTheta, standardError: s.initialStandardError }),
    }),
    conceptProficiencies: t.field({
      type: [ConceptProficiencyRef],
      description: 'θ per concept, each from the answers to that concept’s questions.',
      resolve: (s, _args, ctx) => sessionConceptEstimates(ctx.runtime.prisma, s),
    }),
    nextQuestion: t.field({
      type: QuestionRef,
      nullable: true,
      description: 'The question to answer now; null once it has ended.',
      select: (_args, _ctx, nestedSelection) => ({ currentQuestion: nestedSelection(true) }),
      resolve: (s) => (effectiveStatus(s) === 'ACTIVE' ? s.currentQuestion : null),
    }),
    responses: t.relation('responses', {
      description: 'Its answers, in order.',
      query: { orderBy: { position: 'asc' } },
    }),
    itemsAnswered: t.relationCount('responses', { description: 'How many questions were answered.' }),
    accuracy: t.float({
      nullable: true,
      description: 'The share of answers that were right; null before the first.',
      select: responsesSelect,
      resolve: (s) =>
        s.responses.length === 0 ? null : s.responses.filter((r) => r.correct).length / s.responses.length,
    }),
    learningGain: t.float({
      description: 'θ now minus θ before the first answer.',
      resolve: (s) => s.theta - s.initialTheta,
    }),
    efficiency: t.float({
      nullable: true,
      description: 'How much the standard error fell per answer; null before the first.',
      select: { _count: { select: { responses: true } } },
      resolve: (s) =>
        s._count.responses === 0 ? null : (s.initialStandardError - s.standardError) / s._count.responses,
    }),
  }),
});

// Loaded with the user, but resolved here so that handing out someone else's tests is logged.
builder.prismaObjectFields('User', (t) => ({
  adaptiveTestSessions: t.field({
    type: [SessionRef],
    description:
      'Their 50 latest adaptive tests, newest first: for themselves, their instructors and their admins (empty for anyone else).',
    select: (_args, ctx, nestedSelection) => ({
      adaptiveSessions: nestedSelection({
        // Only where their history may be read: empty for anyone else.
        where: { user: historyOwnersWhere(ctx.viewer) },
        orderBy: { startedAt: 'desc' as const },
        take: 50,
      }),
    }),
    resolve: async (user, _args, ctx) => {
      if (user.adaptiveSessions.length > 0) await ctx.access.read(user.id);
      return user.adaptiveSessions;
    },
  }),
}));

const StoredProficiencyRef = builder.prismaObject('ConceptProficiency', {
  description:
    'A student’s latest measured proficiency in one concept, from their completed adaptive tests (what placement and learning paths read).',
  fields: (t) => ({
    concept: t.exposeString('concept', { description: 'The concept, e.g. `HASHING`.' }),
    theta: t.exposeFloat('theta', { description: 'θ in this concept.' }),
    standardError: t.exposeFloat('standardError', { description: 'Its standard error.' }),
    responses: t.exposeInt('responses', { description: 'Answers to this concept’s questions behind it.' }),
    mastery: t.float({
      description:
        'Mastery from 0 to 1: the chance of answering a question of average difficulty and discrimination right at this θ (2PL, a = 1, b = 0).',
      resolve: (p) => conceptMastery(p.theta),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When a completed test last measured it.' }),
  }),
});

builder.prismaObjectFields('User', (t) => ({
  conceptProficiencies: t.field({
    type: [StoredProficiencyRef],
    description:
      'Their measured proficiency per concept, by concept: for themselves, their instructors and their admins (empty for anyone else).',
    select: (_args, ctx) => ({
      conceptProficiency: { where: { user: historyOwnersWhere(ctx.viewer) }, orderBy: { concept: 'asc' as const } },
    }),
    resolve: async (user, _args, ctx) => {
      if (user.conceptProficiency.length > 0) await ctx.access.read(user.id);
      return user.conceptProficiency;
    },
  }),
}));

builder.queryFields((t) => ({
  questionPools: t.prismaField({
    type: ['QuestionPool'],
    description: 'The pools you may take adaptive tests on: the global ones and your organizations’.',
    resolve: (query, _root, _args, ctx) =>
      ctx.runtime.prisma.questionPool.findMany({
        ...query,
        where: visiblePoolsWhere(ctx.viewer),
        orderBy: { name: 'asc' },
      }),
  }),
  questionPool: t.prismaField({
    type: 'QuestionPool',
    nullable: true,
    description: 'A pool by global ID; null when it does not exist or is not visible to you.',
    args: { id: t.arg.id({ required: true, description: 'Global ID of the pool.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.runtime.prisma.questionPool.findFirst({
        ...query,
        where: { AND: [{ id: idOf('QuestionPool', String(args.id), ['id']) }, visiblePoolsWhere(ctx.viewer)] },
      }),
  }),
}));

const StartAdaptiveTestInput = builder.inputType('StartAdaptiveTestInput', {
  description: 'Which pool to be tested on, and when to stop.',
  fields: (t) => ({
    poolId: t.id({ required: true, description: 'Global ID of the question pool.' }),
    maxQuestions: t.int({ required: false, description: 'Stop after this many answers (1–100, default 20).' }),
    targetStandardError: t.float({
      required: false,
      description: 'Stop once the standard error of θ is at most this (0.05–2, default 0.3).',
    }),
    concepts: t.stringList({
      required: false,
      description: 'Ask only about these concepts of the pool (default: all).',
    }),
    estimator: t.field({
      type: AbilityEstimatorEnum,
      required: false,
      description: 'How θ is estimated (default EAP).',
    }),
  }),
});

const AnswerQuestionInput = builder.inputType('AnswerQuestionInput', {
  description: 'An answer to the session’s current question.',
  fields: (t) => ({
    sessionId: t.id({ required: true, description: 'Global ID of the session.' }),
    questionId: t.id({ required: true, description: 'Global ID of the question answered (the current one).' }),
    choice: t.string({ required: true, description: 'The option key chosen, e.g. `B`.' }),
    idempotencyKey: t.string({
      required: true,
      description: 'A key you choose per answer: a retry with the same key returns the same result.',
    }),
    latencyMs: t.int({ required: false, description: 'How long the question was shown before the answer.' }),
  }),
});

builder.mutationFields((t) => ({
  startAdaptiveTest: t.prismaField({
    type: SessionRef,
    description: 'Starts an adaptive test on a pool; its first question is `nextQuestion`.',
    args: { input: t.arg({ type: StartAdaptiveTestInput, required: true, description: 'The pool and the limits.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'StartAdaptiveTestResult', description: 'The new session, or why it did not start.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const session = await startAdaptiveTest(
        ctx.runtime.prisma,
        ctx.viewer,
        { ...input, poolId: idOf('QuestionPool', String(input.poolId), ['input', 'poolId']) },
        ctx.runtime.adaptive,
      );
      return ctx.runtime.prisma.adaptiveTestSession.findUniqueOrThrow({ ...query, where: { id: session.id } });
    },
  }),
  answerQuestion: t.prismaField({
    type: SessionRef,
    description:
      'Answers the session’s current question, once: θ is updated, and the next question chosen or the test ended.',
    args: { input: t.arg({ type: AnswerQuestionInput, required: true, description: 'The answer.' }) },
    errors: {
      types: [...COMMON_ERRORS, ConflictError, ExpiredError],
      directResult: true,
      union: { name: 'AnswerQuestionResult', description: 'The session after the answer, or why it was not taken.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const session = await answerQuestion(
        ctx.runtime.prisma,
        ctx.viewer,
        {
          ...input,
          sessionId: idOf('AdaptiveTestSession', String(input.sessionId), ['input', 'sessionId']),
          questionId: idOf('Question', String(input.questionId), ['input', 'questionId']),
        },
        ctx.runtime.adaptive,
      );
      return ctx.runtime.prisma.adaptiveTestSession.findUniqueOrThrow({ ...query, where: { id: session.id } });
    },
  }),
  abandonAdaptiveTest: t.prismaField({
    type: SessionRef,
    description: 'Ends your active test before it stops; its answers stay.',
    args: { sessionId: t.arg.id({ required: true, description: 'Global ID of the session.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'AbandonAdaptiveTestResult', description: 'The ended session, or why it could not be.' },
    },
    resolve: async (query, _root, args, ctx) => {
      const session = await abandonAdaptiveTest(
        ctx.runtime.prisma,
        ctx.viewer,
        idOf('AdaptiveTestSession', String(args.sessionId), ['sessionId']),
      );
      return ctx.runtime.prisma.adaptiveTestSession.findUniqueOrThrow({ ...query, where: { id: session.id } });
    },
  }),
}));
