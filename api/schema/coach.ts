/**
 * The Socratic coach: asking it (askCoach), following a turn as it streams
 * (coachTurnEvents), and the record of turns and LLM calls instructors read.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { type EvidenceItem, type EVIDENCE_KINDS } from '../coach/evidence.js';
import type { CoachFailureReason } from '../coach/model.js';
import type { CoachTurnEvent } from '../coach/turns.js';
import { ConflictError, RateLimitedError } from '../errors.js';
import type { SocraticTurn } from '../generated/prisma/client.js';
import { CoachAction, LlmPurpose, TurnRole, TurnStatus } from '../generated/prisma/enums.js';
import { historyOwnersWhere, visibleAttemptsWhere } from '../services/access.js';
import { askCoach, MAX_COACH_MESSAGE_INPUT, setCoachPolicy } from '../services/coach.js';
import { type CoachPolicy, parseCoachPolicy, type STRICTNESS } from '../coach/policy.js';
import { COMMON_ERRORS } from './errors.js';
import { idOf } from './practice.js';

export const TurnRoleEnum = builder.enumType(TurnRole, {
  name: 'TurnRole',
  description: 'Who speaks in a coach turn.',
  values: {
    STUDENT: { description: 'The student’s message to the coach.' },
    COACH: { description: 'The coach’s reply.' },
  },
});

export const CoachActionEnum = builder.enumType(CoachAction, {
  name: 'CoachAction',
  description: 'What a coach turn does.',
  values: {
    ASK_QUESTION: { description: 'Asks a guiding question.' },
    GIVE_HINT: { description: 'Gives a hint grounded in the evaluation evidence.' },
    NEEDS_MORE_INFO: {
      description: 'Asks the student for more (also the safe reply when a draft reply failed validation).',
    },
    REFUSE: { description: 'Declines, e.g. when asked for the solution.' },
  },
});

export const TurnStatusEnum = builder.enumType(TurnStatus, {
  name: 'TurnStatus',
  description: 'Life cycle of a coach turn.',
  values: {
    STREAMING: { description: 'The coach is still writing it.' },
    COMPLETED: { description: 'Finished and validated.' },
    FAILED: { description: 'Could not be produced; see `failureReason`.' },
  },
});

export const LlmPurposeEnum = builder.enumType(LlmPurpose, {
  name: 'LlmPurpose',
  description: 'Why an LLM was called.',
  values: {
    COACH: { description: 'To write a coach turn.' },
    RUBRIC: { description: 'To score a written answer against a rubric.' },
    CURRICULUM: { description: "To plan a learner's curriculum (`generateCurriculum`)." },
  },
});

const EvidenceKindEnum = builder.enumType('EvidenceKind', {
  description: 'What a piece of coach evidence is.',
  values: {
    TEST_RESULT: { description: 'The verdict of one test case (hidden tests: pass or fail only).' },
    STDERR: { description: 'What a visible test printed to standard error.' },
    RUBRIC_SCORE: { description: 'The score of one rubric criterion.' },
    DIAGNOSTIC: { description: 'One debug-lab check.' },
    CODE_RUN: {
      description: 'The student’s latest code run (runCode): what their code did on the examples and their own input.',
    },
    CODE_LINE: { description: 'A line of the student’s own code.' },
  } satisfies Record<(typeof EVIDENCE_KINDS)[number], { description: string }>,
});

const CoachFailureReasonEnum = builder.enumType('CoachFailureReason', {
  description: 'Why a coach turn failed. Nothing of a failed turn is kept as its answer.',
  values: {
    UPSTREAM_RATE_LIMITED: { description: 'The model provider kept answering 429 (rate limited).' },
    UPSTREAM_OVERLOADED: { description: 'The model provider kept answering 529 (overloaded).' },
    UPSTREAM_TIMEOUT: { description: 'The model provider kept going silent past the idle timeout.' },
    UPSTREAM_STREAM_CUT: { description: 'The model’s stream kept breaking off mid-answer.' },
    UPSTREAM_ERROR: { description: 'The model provider failed otherwise (an HTTP error or no connection).' },
    DEADLINE_EXCEEDED: { description: 'The turn ran out of time (COACH_TURN_DEADLINE_MS), retries included.' },
    INTERRUPTED: { description: 'The server stopped while writing the turn.' },
    INTERNAL_ERROR: { description: 'The platform failed; the error is logged.' },
  } satisfies Record<CoachFailureReason, { description: string }>,
});

const EvidenceRefRef = builder.objectRef<EvidenceItem>('EvidenceRef').implement({
  description:
    'A piece of evidence a coach turn relies on: a test result, stderr, a rubric score, a debug check, the student’s latest code run or a line of the student’s own code.',
  fields: (t) => ({
    kind: t.field({ type: EvidenceKindEnum, description: 'What it is.', resolve: (item) => item.kind }),
    ref: t.exposeString('ref', {
      description:
        'Its key in the turn: `test:2`, `stderr:2`, `rubric:<key>`, `diagnostic:<CODE>`, `run:3` (a code run) or `code:14`.',
    }),
    summary: t.exposeString('summary', { description: 'What it shows, in words.' }),
    passed: t.boolean({
      nullable: true,
      description: 'For a test result or a debug check: whether it passed; otherwise null.',
      resolve: (item) => item.passed ?? null,
    }),
    evaluationRunId: t.id({
      nullable: true,
      description: 'Global ID of the evaluation run it comes from; null for a code line.',
      resolve: (item) => (item.runId ? encodeGlobalID('EvaluationRun', item.runId) : null),
    }),
    testIndex: t.int({
      nullable: true,
      description: 'Position of the test case (from 0), for test results and stderr.',
      resolve: (item) => item.testIndex ?? null,
    }),
    criterionKey: t.string({
      nullable: true,
      description: 'Key of the rubric criterion, for rubric scores.',
      resolve: (item) => item.criterionKey ?? null,
    }),
    diagnosticCode: t.string({
      nullable: true,
      description: 'Code of the debug check, for diagnostics.',
      resolve: (item) => item.diagnosticCode ?? null,
    }),
    line: t.int({
      nullable: true,
      description: 'Line number (from 1) in the student’s code, for code lines.',
      resolve: (item) => item.line ?? null,
    }),
  }),
});

export const SocraticTurnRef = builder.prismaNode('SocraticTurn', {
  id: { field: 'id' },
  nullable: true,
  description:
    'One turn of the Socratic coach conversation on an attempt. Visible to the student, their instructors and their organization’s admins.',
  findUnique: (id, ctx) => ({ id, attempt: visibleAttemptsWhere(ctx.viewer) }),
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position in the attempt’s conversation, from 0.' }),
    role: t.expose('role', { type: TurnRoleEnum, description: 'Who speaks.' }),
    status: t.expose('status', { type: TurnStatusEnum, description: 'Where the turn is.' }),
    action: t.expose('action', {
      type: CoachActionEnum,
      nullable: true,
      description: 'What a coach turn does; null for the student’s turns.',
    }),
    message: t.exposeString('message', {
      description:
        'The text of the turn. While a coach turn is STREAMING, the reply streamed so far (provisional); empty for a FAILED turn.',
    }),
    question: t.exposeString('question', {
      nullable: true,
      description: 'The question the coach asks the student, if any.',
    }),
    evidence: t.field({
      type: [EvidenceRefRef],
      description: 'The evidence a completed coach turn relies on, each item checked to exist; empty otherwise.',
      select: { evidence: true },
      resolve: (turn) => (Array.isArray(turn.evidence) ? (turn.evidence as unknown as EvidenceItem[]) : []),
    }),
    model: t.exposeString('model', {
      nullable: true,
      description: 'Model that wrote a coach turn (`builtin` for the built-in coach); null for the student’s turns.',
    }),
    builtinCoach: t.boolean({
      description:
        'True when the deterministic built-in coach (no language model; used when no Anthropic key is configured) wrote this turn.',
      select: { model: true },
      resolve: (turn) => turn.model === 'builtin',
    }),
    failureReason: t.field({
      type: CoachFailureReasonEnum,
      nullable: true,
      description: 'Why the turn failed, when it did.',
      select: { failureReason: true },
      resolve: (turn) => (turn.failureReason as CoachFailureReason | null) ?? null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the turn began.' }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the turn finished; null while streaming.',
    }),
    attempt: t.relation('attempt', { description: 'The attempt the conversation is about.' }),
    user: t.relation('user', { description: 'The student whose conversation this is.' }),
  }),
});

export const LlmInteractionRef = builder.prismaNode('LlmInteraction', {
  id: { field: 'id' },
  nullable: true,
  description:
    'One call to a language model (coach or rubric scorer): the instructors’ record. Visible to the student it was made for, their instructors and their organization’s admins.',
  findUnique: (id, ctx) => ({ id, user: historyOwnersWhere(ctx.viewer) }),
  fields: (t) => ({
    purpose: t.expose('purpose', { type: LlmPurposeEnum, description: 'Why the model was called.' }),
    model: t.exposeString('model', {
      description: 'The model called, as the provider names it (`builtin` for the built-in one).',
    }),
    llmModel: t.relation('llmModel', {
      nullable: true,
      description: 'The registered model called, when it is one.',
    }),
    prompt: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The prompt sent (system and messages). It can carry instructor-only material (rubric guidance, hidden tests), so it is null for the student themselves.',
      select: { prompt: true, userId: true },
      resolve: (interaction, _args, ctx) => (ctx.viewer?.userId === interaction.userId ? null : interaction.prompt),
    }),
    response: t.string({
      nullable: true,
      description:
        'The model’s raw reply (empty when the call failed). Null for the student themselves when the reply was withheld (`flagged`): it may hold the solution.',
      select: { response: true, flagged: true, userId: true },
      resolve: (interaction, _args, ctx) =>
        interaction.flagged && ctx.viewer?.userId === interaction.userId ? null : interaction.response,
    }),
    tokensIn: t.exposeInt('tokensIn', { description: 'Input tokens billed.' }),
    tokensOut: t.exposeInt('tokensOut', { description: 'Output tokens billed.' }),
    latencyMs: t.exposeInt('latencyMs', { description: 'Time from request to last token, in milliseconds.' }),
    stopReason: t.exposeString('stopReason', {
      nullable: true,
      description: 'Why the model stopped (e.g. `end_turn`, `max_tokens`); null when the call failed.',
    }),
    error: t.exposeString('error', { nullable: true, description: 'What went wrong, when the call failed.' }),
    flagged: t.exposeBoolean('flagged', {
      description: 'Whether the output was withheld (failed validation, cited missing evidence, leaked a solution…).',
    }),
    flagReason: t.exposeString('flagReason', { nullable: true, description: 'Why the output was withheld.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the call was made.' }),
    user: t.relation('user', { description: 'The student the call was made for.' }),
    organization: t.relation('organization', {
      nullable: true,
      description: 'The organization whose policy applied, if any.',
    }),
  }),
});

builder.prismaObjectField('Attempt', 'coachTurns', (t) =>
  t.relation('socraticTurns', {
    description: 'The conversation with the coach on this attempt: the student’s and the coach’s turns, in order.',
    query: { orderBy: { index: 'asc' } },
  }),
);

const AskCoachInput = builder.inputType('AskCoachInput', {
  description: 'A message to the coach about one of your attempts.',
  fields: (t) => ({
    attemptId: t.id({ required: true, description: 'Global ID of your attempt.' }),
    message: t.string({
      required: true,
      description: `Your message (at most ${MAX_COACH_MESSAGE_INPUT} characters).`,
    }),
    idempotencyKey: t.string({
      required: false,
      description:
        'A key you choose per message (e.g. a UUID). Retrying with the same key and message returns the same coach turn instead of asking twice; the same key with another message is a Conflict.',
    }),
  }),
});

builder.mutationField('askCoach', (t) =>
  t.prismaField({
    type: 'SocraticTurn',
    description:
      'Asks the Socratic coach about one of your attempts. Stores your message as a turn and returns the coach’s turn at once, STREAMING: follow it with `coachTurnEvents`. Limited per user per minute and by a daily token budget (RateLimited says when to retry); one coach turn at a time per attempt (Conflict).',
    args: { input: t.arg({ type: AskCoachInput, required: true, description: 'Your message.' }) },
    errors: {
      types: [...COMMON_ERRORS, ConflictError, RateLimitedError],
      directResult: true,
      union: { name: 'AskCoachResult', description: 'The coach’s turn, or why the coach was not asked.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const turn = await askCoach(ctx.runtime.prisma, ctx.viewer, ctx.runtime.coach, {
        attemptId: idOf('Attempt', input.attemptId, ['input', 'attemptId']),
        message: input.message,
        idempotencyKey: input.idempotencyKey,
      });
      return ctx.runtime.prisma.socraticTurn.findUniqueOrThrow({ ...query, where: { id: turn.id } });
    },
  }),
);

const CoachTokenDeltaRef = builder.objectRef<Extract<CoachTurnEvent, { type: 'DELTA' }>>('CoachTokenDelta').implement({
  description:
    'More of the coach’s reply, as the model writes it. A late subscriber first gets the text so far in one delta. Provisional: the final event’s turn is what counts (it may retract what was streamed).',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The new text, to append.' }),
    offset: t.exposeInt('offset', { description: 'Where the text starts in the reply streamed so far.' }),
  }),
});

const CoachTurnCompletedRef = builder
  .objectRef<Extract<CoachTurnEvent, { type: 'COMPLETED' }>>('CoachTurnCompleted')
  .implement({
    description:
      'The turn is finished and validated. Show `turn`, not the streamed text: a reply that failed validation or leaked a solution is replaced by a safe NEEDS_MORE_INFO question. The stream ends here.',
    fields: (t) => ({
      turn: t.prismaField({
        type: 'SocraticTurn',
        description: 'The final turn.',
        resolve: (query, event, _args, ctx) =>
          ctx.runtime.prisma.socraticTurn.findUniqueOrThrow({ ...query, where: { id: event.turn.id } }),
      }),
    }),
  });

const CoachTurnFailedRef = builder.objectRef<Extract<CoachTurnEvent, { type: 'FAILED' }>>('CoachTurnFailed').implement({
  description:
    'The coach could not answer (after bounded retries). Discard the streamed text; nothing of it is kept as an answer. The stream ends here.',
  fields: (t) => ({
    reason: t.field({
      type: CoachFailureReasonEnum,
      description: 'Why.',
      resolve: (event) => (event.turn.failureReason as CoachFailureReason | null) ?? 'INTERNAL_ERROR',
    }),
    turn: t.prismaField({
      type: 'SocraticTurn',
      description: 'The failed turn.',
      resolve: (query, event, _args, ctx) =>
        ctx.runtime.prisma.socraticTurn.findUniqueOrThrow({ ...query, where: { id: event.turn.id } }),
    }),
  }),
});

const CoachTurnEventRef = builder.unionType('CoachTurnEvent', {
  description:
    'An event of a coach turn: CoachTokenDelta as the reply is written, then exactly one CoachTurnCompleted or CoachTurnFailed.',
  types: [CoachTokenDeltaRef, CoachTurnCompletedRef, CoachTurnFailedRef],
  resolveType: (event) =>
    event.type === 'DELTA' ? 'CoachTokenDelta' : event.type === 'COMPLETED' ? 'CoachTurnCompleted' : 'CoachTurnFailed',
});

builder.subscriptionField('coachTurnEvents', (t) =>
  t.field({
    type: CoachTurnEventRef,
    description:
      'Follows a coach turn: the reply streamed so far, then the rest as the model writes it, then exactly one CoachTurnCompleted or CoachTurnFailed (right away for a turn that has ended). For the student and their instructors; others get an error.',
    args: { turnId: t.arg.id({ required: true, description: 'Global ID of the coach’s turn (from askCoach).' }) },
    subscribe: async function* (_root, args, ctx) {
      const turnId = idOf('SocraticTurn', String(args.turnId), ['turnId']);
      const turn: Pick<SocraticTurn, 'id' | 'attemptId'> | null = await ctx.runtime.prisma.socraticTurn.findFirst({
        where: { id: turnId, attempt: visibleAttemptsWhere(ctx.viewer) },
        select: { id: true, attemptId: true },
      });
      if (!turn) {
        throw new GraphQLError('No coach turn with this ID that you may follow.', {
          extensions: { code: 'NOT_FOUND' },
        });
      }
      await ctx.access.readAttempt(turn.attemptId);
      yield* ctx.runtime.coach.follow(turn.id);
    },
    resolve: (event) => event,
  }),
);

const CoachStrictnessEnum = builder.enumType('CoachStrictness', {
  description: 'How strictly the coach’s replies are checked for solution code.',
  values: {
    LOW: { description: 'Code blocks up to 5 lines; a leak is 14+ tokens shared with a reference solution.' },
    MEDIUM: { description: 'Code blocks up to 3 lines; a leak is 10+ shared tokens. The default.' },
    HIGH: { description: 'Code blocks of 1 line; a leak is 7+ shared tokens; the coach asks rather than hints.' },
  } satisfies Record<(typeof STRICTNESS)[number], { description: string }>,
});

const CoachPolicyRef = builder.objectRef<CoachPolicy>('CoachPolicy').implement({
  description: 'How an organization’s coach behaves. Replies that break it are withheld (fail closed).',
  fields: (t) => ({
    strictness: t.field({
      type: CoachStrictnessEnum,
      description: 'How strict the leak guard is.',
      resolve: (p) => p.strictness,
    }),
    hintDepth: t.exposeInt('hintDepth', {
      description:
        'How far hints may go: 0 questions only, 1 concepts, 2 where to look, 3 which technique (never code).',
    }),
    avoidList: t.exposeStringList('avoidList', {
      description:
        'Phrases the coach must never use (matched case-insensitively), e.g. the name of the intended technique.',
    }),
  }),
});

builder.prismaObjectFields('Organization', (t) => ({
  coachPolicy: t.field({
    type: CoachPolicyRef,
    nullable: true,
    description:
      'The coach policy; null unless you are an instructor or admin of the organization (it can hint at solutions).',
    select: { coachPolicy: true, id: true },
    resolve: (organization, _args, ctx) => {
      const role = ctx.viewer?.roles.get(organization.id);
      return role === 'ADMIN' || role === 'INSTRUCTOR' ? parseCoachPolicy(organization.coachPolicy) : null;
    },
  }),
}));

const SetCoachPolicyInput = builder.inputType('SetCoachPolicyInput', {
  description: 'An organization’s new coach policy (all fields replace the old ones).',
  fields: (t) => ({
    organizationId: t.id({ required: true, description: 'Global ID of the organization.' }),
    strictness: t.field({ type: CoachStrictnessEnum, required: true, description: 'How strict the leak guard is.' }),
    hintDepth: t.int({ required: true, description: 'How far hints may go, 0 to 3.' }),
    avoidList: t.stringList({
      required: true,
      description: 'Phrases the coach must never use (at most 50, each at most 100 characters).',
    }),
  }),
});

builder.mutationField('setCoachPolicy', (t) =>
  t.prismaField({
    type: 'Organization',
    description: 'Sets an organization’s coach policy; for its admins. Applies to coach turns started afterwards.',
    args: { input: t.arg({ type: SetCoachPolicyInput, required: true, description: 'The policy.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'SetCoachPolicyResult', description: 'The organization, or why the policy was not set.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const organization = await setCoachPolicy(ctx.runtime.prisma, ctx.viewer, {
        ...input,
        organizationId: idOf('Organization', input.organizationId, ['input', 'organizationId']),
      });
      return ctx.runtime.prisma.organization.findUniqueOrThrow({ ...query, where: { id: organization.id } });
    },
  }),
);
