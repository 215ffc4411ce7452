/** Evaluation progress: the event stream of a run, replayed then followed live. */
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import type { EvaluationEvent } from '../generated/prisma/client.js';
import { followEvents } from '../evaluation/events.js';
import { queuePosition } from '../evaluation/queue.js';
import { hiddenTestView, TEST_VIEW_SELECT, visibleEvent } from '../evaluation/visibility.js';
import { visibleAttemptsWhere } from '../services/access.js';
import type { TestVerdict } from '../generated/prisma/enums.js';
import { idOf, TestVerdictEnum } from './practice.js';

type Payload = Record<string, unknown>;
const payloadOf = (event: EvaluationEvent): Payload => (event.payload ?? {}) as Payload;
const num = (event: EvaluationEvent, key: string): number => Number(payloadOf(event)[key] ?? 0);

const EvaluationEventRef = builder.interfaceRef<EvaluationEvent>('EvaluationEvent').implement({
  description: 'One step of an evaluation run, numbered from 1 per run; stored before it is sent.',
  resolveType: (event) =>
    ({
      QUEUED: 'EvaluationQueued',
      STARTED: 'EvaluationStarted',
      TEST_CASE_FINISHED: 'TestCaseFinished',
      RUBRIC_CRITERION_SCORED: 'RubricCriterionScored',
      DIAGNOSTIC_RECORDED: 'DiagnosticRecorded',
      COMPLETED: 'EvaluationCompleted',
      FAILED: 'EvaluationFailed',
    })[event.type] ?? 'EvaluationStarted',
  fields: (t) => ({
    sequence: t.exposeInt('sequence', { description: 'Position in the run’s stream, from 1.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When it happened.' }),
  }),
});

builder.objectRef<EvaluationEvent>('EvaluationQueued').implement({
  description: 'The run joined the queue.',
  interfaces: [EvaluationEventRef],
  fields: (t) => ({
    position: t.int({
      description: 'Place in the queue when it was queued (1 = next).',
      resolve: (e) => num(e, 'position'),
    }),
  }),
});

builder.objectRef<EvaluationEvent>('EvaluationStarted').implement({
  description: 'A worker started evaluating the run.',
  interfaces: [EvaluationEventRef],
  fields: (t) => ({
    claim: t.int({
      description: 'How many times a worker has claimed the run (more than 1 after a worker died).',
      resolve: (e) => num(e, 'claim') || 1,
    }),
  }),
});

builder.objectRef<EvaluationEvent>('TestCaseFinished').implement({
  description:
    'One test case finished. A hidden test shows its student what the organization’s `testVisibility` allows (by default only PASSED, FAILED or NOT_RUN); instructors see it all.',
  interfaces: [EvaluationEventRef],
  fields: (t) => ({
    index: t.int({ description: 'Position of the test case.', resolve: (e) => num(e, 'index') }),
    verdict: t.field({
      type: TestVerdictEnum,
      description:
        'The verdict; a hidden test shows its student only PASSED, FAILED or NOT_RUN unless the organization shows verdict details.',
      resolve: (e) => payloadOf(e).verdict as TestVerdict,
    }),
    durationMs: t.int({ description: 'Run time in milliseconds.', resolve: (e) => num(e, 'durationMs') }),
    memoryKb: t.int({
      nullable: true,
      description:
        'Peak resident memory of the process while it ran the test, in KiB; null for tests not run, where the executor cannot measure it (Piston), and for a hidden test whose student may see only pass or fail.',
      resolve: (e) => {
        const kb = payloadOf(e).memoryKb;
        return typeof kb === 'number' ? kb : null;
      },
    }),
    hidden: t.boolean({ description: 'Whether the test is hidden.', resolve: (e) => payloadOf(e).hidden === true }),
  }),
});

builder.objectRef<EvaluationEvent>('RubricCriterionScored').implement({
  description: 'One rubric criterion was scored.',
  interfaces: [EvaluationEventRef],
  fields: (t) => ({
    criterionKey: t.string({
      description: 'Key of the criterion.',
      resolve: (e) => String(payloadOf(e).criterionKey ?? ''),
    }),
    points: t.int({
      description: 'Points given (named apart from EvaluationCompleted.score, a 0–1 fraction).',
      resolve: (e) => num(e, 'score'),
    }),
    maxPoints: t.int({ description: 'Points possible.', resolve: (e) => num(e, 'maxScore') }),
  }),
});

builder.objectRef<EvaluationEvent>('DiagnosticRecorded').implement({
  description: 'A debug-lab check was recorded.',
  interfaces: [EvaluationEventRef],
  fields: (t) => ({
    code: t.string({ description: 'What was checked.', resolve: (e) => String(payloadOf(e).code ?? '') }),
    passed: t.boolean({ description: 'Whether it passed.', resolve: (e) => payloadOf(e).passed === true }),
  }),
});

builder.objectRef<EvaluationEvent>('EvaluationCompleted').implement({
  description: 'The run finished with a score. The stream ends here.',
  interfaces: [EvaluationEventRef],
  fields: (t) => ({
    score: t.float({ description: 'Score from 0 to 1.', resolve: (e) => num(e, 'score') }),
    summary: t.field({
      type: 'JSON',
      description: 'Summary of the outcome.',
      resolve: (e) => payloadOf(e).summary ?? null,
    }),
    pointsAwarded: t.int({
      description: 'Points the run earned (0 when it solved nothing new; see ContentItem.timeBonusPoints).',
      resolve: (e) => num(e, 'points'),
    }),
  }),
});

builder.objectRef<EvaluationEvent>('EvaluationFailed').implement({
  description: 'The run could not finish. The stream ends here.',
  interfaces: [EvaluationEventRef],
  fields: (t) => ({
    reason: t.string({
      description: 'Why, e.g. `SANDBOX_UNAVAILABLE`.',
      resolve: (e) => String(payloadOf(e).reason ?? ''),
    }),
    gradable: t.boolean({
      description: 'False when the platform failed: such a run never costs the student a score.',
      resolve: (e) => payloadOf(e).gradable === true,
    }),
  }),
});

builder.prismaObjectFields('EvaluationRun', (t) => ({
  queuePosition: t.int({
    nullable: true,
    description: 'Place in the queue while QUEUED (1 = next); null once a worker has it.',
    select: { id: true, status: true, queuedAt: true },
    resolve: (run, _args, ctx) => queuePosition(ctx.runtime.prisma, run),
  }),
  events: t.field({
    type: [EvaluationEventRef],
    description: 'The events stored so far, in order.',
    select: { ...TEST_VIEW_SELECT, events: { orderBy: { sequence: 'asc' } } },
    resolve: (run, _args, ctx) => {
      const hiddenView = hiddenTestView(ctx.viewer?.userId, run);
      return run.events.map((event) => visibleEvent(event, hiddenView));
    },
  }),
}));

builder.subscriptionType({ description: 'Live streams.' });
builder.subscriptionField('evaluationEvents', (t) =>
  t.field({
    type: EvaluationEventRef,
    description:
      'The events of a run: first those stored after `afterSequence`, then each new one as it happens, with no gap and no duplicate; completes after EvaluationCompleted or EvaluationFailed. For the run’s owner and their instructors; others get an error.',
    args: {
      runId: t.arg.id({ required: true, description: 'Global ID of the evaluation run.' }),
      afterSequence: t.arg.int({
        required: false,
        description: 'Skip events up to this sequence (default 0: from the start).',
      }),
    },
    subscribe: async function* (_root, args, ctx) {
      const runId = idOf('EvaluationRun', String(args.runId), ['runId']);
      const run = await ctx.runtime.prisma.evaluationRun.findFirst({
        where: { id: runId, attempt: visibleAttemptsWhere(ctx.viewer) },
        select: { id: true, attemptId: true, ...TEST_VIEW_SELECT },
      });
      if (!run) {
        throw new GraphQLError('No evaluation run with this ID that you may follow.', {
          extensions: { code: 'NOT_FOUND' },
        });
      }
      await ctx.access.readAttempt(run.attemptId);
      const hiddenView = hiddenTestView(ctx.viewer?.userId, run);
      for await (const event of followEvents(ctx.runtime, run.id, args.afterSequence ?? 0)) {
        yield visibleEvent(event, hiddenView);
      }
    },
    resolve: (event) => event,
  }),
);
