/**
 * The coach's record, read-only here: Socratic turns and LLM calls, with their enums.
 * Writing them (asking the coach, streaming turns) belongs to the coach.
 */
import { builder } from '../builder.js';
import { CoachAction, LlmPurpose, TurnRole, TurnStatus } from '../generated/prisma/enums.js';
import { historyOwnersWhere, visibleAttemptsWhere } from '../services/access.js';
import { ACCESS_RESOURCES } from '../services/history.js';

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
  },
});

export const SocraticTurnRef = builder.prismaNode('SocraticTurn', {
  id: { field: 'id' },
  nullable: true,
  description:
    'One turn of the Socratic coach conversation on an attempt. Visible to the student, their instructors and their organization’s admins.',
  findUnique: (id, ctx) => ({ id, attempt: visibleAttemptsWhere(ctx.viewer) }),
  // Reading someone else's history is logged, however the object was reached.
  authScopes: async (row, ctx) => {
    await ctx.access.read(row.userId);
    return true;
  },
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position in the attempt’s conversation, from 0.' }),
    role: t.expose('role', { type: TurnRoleEnum, description: 'Who speaks.' }),
    status: t.expose('status', { type: TurnStatusEnum, description: 'Where the turn is.' }),
    action: t.expose('action', {
      type: CoachActionEnum,
      nullable: true,
      description: 'What a coach turn does; null for the student’s turns.',
    }),
    message: t.exposeString('message', { description: 'The text of the turn.' }),
    question: t.exposeString('question', {
      nullable: true,
      description: 'The question the coach asks the student, if any.',
    }),
    evidence: t.expose('evidence', {
      type: 'JSON',
      description: 'The evidence a coach turn cites: `[{ kind, id, detail }]` (test results, stderr, scores…).',
    }),
    model: t.exposeString('model', {
      nullable: true,
      description: 'Model that wrote a coach turn (`builtin` for the built-in coach); null for the student’s turns.',
    }),
    failureReason: t.exposeString('failureReason', {
      nullable: true,
      description: 'Why the turn failed, when it did.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the turn began.' }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the turn finished; null while streaming.',
    }),
    attempt: t.relation('attempt', { description: 'The attempt the conversation is about.' }),
    user: t.relation('user', { description: 'The student whose conversation this is.' }),
    llmInteractions: t.relation('llmInteractions', {
      description: 'The LLM calls made to write this turn, oldest first.',
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

export const LlmInteractionRef = builder.prismaNode('LlmInteraction', {
  id: { field: 'id' },
  nullable: true,
  description:
    'One call to a language model (coach or rubric scorer): the instructors’ record. Visible to the student it was made for, their instructors and their organization’s admins.',
  findUnique: (id, ctx) => ({ id, user: historyOwnersWhere(ctx.viewer) }),
  // Reading someone else's LLM calls is logged, however the object was reached.
  authScopes: async (row, ctx) => {
    await ctx.access.read(row.userId, ACCESS_RESOURCES.LLM_INTERACTIONS);
    return true;
  },
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
    response: t.exposeString('response', { description: 'The model’s raw reply; empty when the call failed.' }),
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
    attempt: t.relation('attempt', { nullable: true, description: 'The attempt it was about, if any.' }),
    turn: t.relation('turn', { nullable: true, description: 'The coach turn it wrote, if any.' }),
    organization: t.relation('organization', {
      nullable: true,
      description: 'The organization whose policy applied, if any.',
    }),
  }),
});
