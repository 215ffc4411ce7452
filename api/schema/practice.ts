/** Practice: attempts, drafts, submissions and their evaluation runs. */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import type { TestCase } from '../content/body.js';
import type { Context } from '../context.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { CodingTestResult } from '../generated/prisma/client.js';
import { AttemptStatus, EvaluationKind, EvaluationStatus, TestVerdict } from '../generated/prisma/enums.js';
import {
  hiddenTestView,
  shownVerdict,
  showsDetails,
  showsOutput,
  TEST_VIEW_SELECT,
  testView,
  type TestView,
} from '../evaluation/visibility.js';
import { visibleAttemptsWhere } from '../services/access.js';
import { abandonAttempt, saveDraft, startAttempt, submitSolution } from '../services/practice.js';
import { bodyOf } from './content.js';
import { LanguageEnum } from './enums.js';

/** Decodes a global ID of `typename`, or fails with InvalidInput naming the argument. */
export function idOf(typename: string, globalId: string, path: string[]): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === typename) return decoded.id;
  } catch {
    // fall through to the typed error
  }
  throw InvalidInputError.at(path, `must be the ID of a ${typename}`);
}

export const AttemptStatusEnum = builder.enumType(AttemptStatus, {
  name: 'AttemptStatus',
  description: 'Life cycle of an attempt.',
  values: {
    ACTIVE: { description: 'Being worked on; drafts and submissions are accepted.' },
    COMPLETED: { description: 'Solved; the attempt is closed.' },
    ABANDONED: { description: 'Given up by the student.' },
  },
});

const EvaluationKindEnum = builder.enumType(EvaluationKind, {
  name: 'EvaluationKind',
  description: 'What an evaluation run checks.',
  values: {
    CODING_TESTS: { description: 'Runs the code against the test cases in a sandbox.' },
    RUBRIC: { description: 'Scores a written answer against rubric criteria.' },
    DEBUG_DIAGNOSTICS: { description: 'Checks a debug diagnosis and runs the fix against the tests.' },
  },
});

const EvaluationStatusEnum = builder.enumType(EvaluationStatus, {
  name: 'EvaluationStatus',
  description: 'Life cycle of an evaluation run.',
  values: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'A worker is evaluating it.' },
    SUCCEEDED: { description: 'Finished with a verdict.' },
    FAILED: { description: 'Could not finish; see `gradable` for whether it counted.' },
    CANCELED: { description: 'Stopped before finishing.' },
  },
});

export const TestVerdictEnum = builder.enumType(TestVerdict, {
  name: 'TestVerdict',
  description: 'Outcome of one test case.',
  values: {
    PASSED: { description: 'Returned the expected value.' },
    FAILED: { description: 'Returned something else (for hidden tests seen by students: did not pass).' },
    TIME_LIMIT: { description: 'Ran out of time.' },
    MEMORY_LIMIT: { description: 'Ran out of memory.' },
    RUNTIME_ERROR: { description: 'Crashed or exited with an error.' },
    OUTPUT_LIMIT: { description: 'Printed more than allowed.' },
    COMPILE_ERROR: { description: 'Could not be compiled or loaded.' },
    NOT_RUN: {
      description:
        'Not run to its end: an earlier test reached the time limit (which ends the run), or the run’s time budget was spent first. Shown as it is for hidden tests too.',
    },
  },
});

builder.prismaNode('SolutionSnapshot', {
  id: { field: 'id' },
  nullable: true,
  description: 'A saved draft: one point in the solution history.',
  findUnique: (id, ctx) => ({ id, attempt: visibleAttemptsWhere(ctx.viewer) }),
  fields: (t) => ({
    language: t.expose('language', { type: LanguageEnum, description: 'Language of the draft.' }),
    code: t.exposeString('code', { description: 'The code as saved.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was saved.' }),
    attempt: t.relation('attempt', { description: 'The attempt it belongs to.' }),
  }),
});

builder.prismaNode('Submission', {
  id: { field: 'id' },
  nullable: true,
  description: 'A solution handed in for evaluation.',
  findUnique: (id, ctx) => ({ id, attempt: visibleAttemptsWhere(ctx.viewer) }),
  fields: (t) => ({
    language: t.expose('language', {
      type: LanguageEnum,
      nullable: true,
      description: 'Language of the code, if any.',
    }),
    code: t.exposeString('code', { nullable: true, description: 'The submitted code (for a debug lab: the fix).' }),
    answer: t.exposeString('answerText', {
      nullable: true,
      description: 'The written answer: a design, or a debug diagnosis.',
    }),
    bugLine: t.int({
      nullable: true,
      description: 'For a debug lab: the line the student named as the bug.',
      select: { answerJson: true },
      resolve: (submission) => {
        const json = submission.answerJson as { bugLine?: unknown } | null;
        return typeof json?.bugLine === 'number' ? json.bugLine : null;
      },
    }),
    idempotencyKey: t.exposeString('idempotencyKey', { description: 'The client key that made this submission.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was submitted.' }),
    attempt: t.relation('attempt', { description: 'The attempt it belongs to.' }),
    evaluationRuns: t.relation('evaluationRuns', {
      description: 'Its evaluation runs.',
      query: { orderBy: { queuedAt: 'asc' } },
    }),
  }),
});

/** A test result, with how much of it the viewer sees (evaluation/visibility.ts). */
interface VisibleTestResult {
  row: CodingTestResult;
  view: TestView;
  /** The test case as the run's pinned version states it; null for a hidden test, whoever reads it. */
  testCase: TestCase | null;
}

const TestResultRef = builder.objectRef<VisibleTestResult>('TestResult').implement({
  description:
    'The verdict of one test case. For hidden tests, students see only whether it passed, or also its name and verdict where the organization that owns the item allows it (`testVisibility`).',
  fields: (t) => ({
    index: t.int({ description: 'Position of the test case in the pinned version.', resolve: (r) => r.row.testIndex }),
    hidden: t.boolean({ description: 'Whether this is a hidden test.', resolve: (r) => r.row.hidden }),
    passed: t.boolean({ description: 'Whether the test passed.', resolve: (r) => r.row.verdict === 'PASSED' }),
    verdict: t.field({
      type: TestVerdictEnum,
      description:
        'The verdict; for hidden tests seen by students, only PASSED or FAILED unless the item’s organization shows verdict details.',
      resolve: (r) => shownVerdict(r.row.verdict, r.view),
    }),
    name: t.string({
      nullable: true,
      description:
        'Name of the test; null for hidden tests seen by students, unless the item’s organization shows verdict details.',
      resolve: (r) => (showsDetails(r.view) ? r.row.name : null),
    }),
    durationMs: t.int({
      nullable: true,
      description: 'Run time in milliseconds; null where the name is.',
      resolve: (r) => (showsDetails(r.view) ? r.row.durationMs : null),
    }),
    memoryKb: t.int({
      nullable: true,
      description:
        'Peak resident memory of the process while it ran the test, in KiB (the interpreter’s own included); null where the name is, for tests not run, and where the executor cannot measure it (Piston).',
      resolve: (r) => (showsDetails(r.view) ? r.row.memoryKb : null),
    }),
    stdout: t.string({
      nullable: true,
      description: 'Truncated standard output; null for hidden tests seen by students.',
      resolve: (r) => (showsOutput(r.view) ? r.row.stdout : null),
    }),
    stderr: t.string({
      nullable: true,
      description: 'Truncated standard error; null for hidden tests seen by students.',
      resolve: (r) => (showsOutput(r.view) ? r.row.stderr : null),
    }),
    actual: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the code returned; null for hidden tests seen by students, or when it returned nothing.',
      resolve: (r) => (!showsOutput(r.view) || r.row.actual === null ? null : (JSON.parse(r.row.actual) as unknown)),
    }),
    args: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The arguments the entrypoint was called with, in order, as the version the attempt is pinned to states them: shown beside `expected` and `actual`. Null for hidden tests, whoever reads the result (the item’s authors find them in `ContentVersion.allTestCases`).',
      resolve: (r) => r.testCase?.args ?? null,
    }),
    expected: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The value the entrypoint had to return, from the pinned version; compare it with `actual`. Null for hidden tests, whoever reads the result (and where the expected value is itself null).',
      resolve: (r) => (r.testCase ? (r.testCase.expected ?? null) : null),
    }),
  }),
});

function redactsHidden(ctx: Context, ownerId: string): boolean {
  // The student who owns the run sees hidden tests as pass or fail; their instructors see all.
  return ctx.viewer?.userId === ownerId;
}

builder.prismaObject('RubricScore', {
  description: 'The score of one rubric criterion, with the scorer’s rationale.',
  fields: (t) => ({
    criterionKey: t.exposeString('criterionKey', { description: 'Key of the rubric criterion.' }),
    score: t.exposeInt('score', { description: 'Points given.' }),
    maxScore: t.exposeInt('maxScore', { description: 'Points possible.' }),
    rationale: t.exposeString('rationale', { description: 'Why this score.' }),
    scorer: t.exposeString('scorer', { description: '`builtin` (the deterministic scorer) or `anthropic:<model>`.' }),
  }),
});

builder.prismaObject('DebugDiagnostic', {
  description: 'Evidence recorded while checking a debug lab.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'What was checked, e.g. `DIAGNOSIS_MATCH`, `BUG_LINE`, `FIX_TESTS`.' }),
    passed: t.exposeBoolean('passed', { description: 'Whether the check passed.' }),
    message: t.exposeString('message', { description: 'What was found.' }),
    evidence: t.field({
      type: 'JSON',
      description:
        'Supporting details. For the student themselves, what would give the answer away (the expected line, the keywords their diagnosis missed) is left out; their instructors see it all.',
      select: { evidence: true, run: { select: { attempt: { select: { userId: true } } } } },
      resolve: (diagnostic, _args, ctx) => {
        const evidence = diagnostic.evidence;
        if (!redactsHidden(ctx, diagnostic.run.attempt.userId) || !evidence || typeof evidence !== 'object') {
          return evidence;
        }
        const { expectedLine: _line, missing: _missing, ...shown } = evidence as Record<string, unknown>;
        return shown;
      },
    }),
  }),
});

builder.prismaNode('EvaluationRun', {
  id: { field: 'id' },
  nullable: true,
  description: 'One evaluation of a submission.',
  findUnique: (id, ctx) => ({ id, attempt: visibleAttemptsWhere(ctx.viewer) }),
  fields: (t) => ({
    kind: t.expose('kind', { type: EvaluationKindEnum, description: 'What the run checks.' }),
    status: t.expose('status', { type: EvaluationStatusEnum, description: 'Where the run is.' }),
    gradable: t.exposeBoolean('gradable', {
      description: 'False when the platform failed (not the code): such a run never costs a score.',
    }),
    score: t.exposeFloat('score', { nullable: true, description: 'Score from 0 to 1 once finished.' }),
    summary: t.expose('summary', {
      type: 'JSON',
      nullable: true,
      description: 'Summary of the outcome once finished.',
    }),
    queuedAt: t.expose('queuedAt', { type: 'DateTime', description: 'When it was queued.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When a worker started it.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it finished.' }),
    submission: t.relation('submission', { description: 'The submission evaluated.' }),
    testResults: t.field({
      type: [TestResultRef],
      description: 'One result per test case, in order.',
      select: {
        // The pinned version's body holds the visible tests' arguments and expected values.
        attempt: { select: { ...TEST_VIEW_SELECT.attempt.select, contentVersion: { select: { body: true } } } },
        testResults: { orderBy: { testIndex: 'asc' } },
      },
      resolve: (run, _args, ctx) => {
        const hiddenView = hiddenTestView(ctx.viewer?.userId, run);
        const body = bodyOf(run.attempt.contentVersion);
        const cases = body.kind === 'SYSTEM_DESIGN' ? [] : body.testCases;
        return run.testResults.map((row) => {
          const testCase = cases[row.testIndex];
          // Hidden if either the stored result or the version says so: its inputs never leave the server.
          const shown = !row.hidden && testCase && !testCase.hidden ? testCase : null;
          return { row, view: testView(row.hidden, hiddenView), testCase: shown };
        });
      },
    }),
    rubricScores: t.relation('rubricScores', {
      description: 'Scores per rubric criterion.',
      query: { orderBy: { criterionKey: 'asc' } },
    }),
    diagnostics: t.relation('diagnostics', {
      description: 'Debug-lab checks.',
      query: { orderBy: { createdAt: 'asc' } },
    }),
  }),
});

export const AttemptRef = builder.prismaNode('Attempt', {
  id: { field: 'id' },
  nullable: true,
  description: 'A student working on one content item, pinned to the version they started on.',
  findUnique: (id, ctx) => ({ id, AND: [visibleAttemptsWhere(ctx.viewer)] }),
  fields: (t) => ({
    status: t.expose('status', { type: AttemptStatusEnum, description: 'Where the attempt is.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When it was started.' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'When it was solved.' }),
    user: t.relation('user', { description: 'Who is working on it.' }),
    contentItem: t.relation('contentItem', { description: 'The item being worked on.' }),
    version: t.relation('contentVersion', {
      description: 'The version this attempt is pinned to; later publishes do not change it.',
    }),
    submissions: t.relation('submissions', {
      description: 'Submissions, newest first.',
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
    evaluationRuns: t.relation('evaluationRuns', {
      description: 'Evaluation runs, newest first.',
      query: { orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }] },
    }),
    snapshots: t.relation('snapshots', {
      description: 'Saved drafts, newest first.',
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

const StartAttemptInput = builder.inputType('StartAttemptInput', {
  description: 'Which item to work on.',
  fields: (t) => ({
    contentItemId: t.id({ required: true, description: 'Global ID of the content item.' }),
  }),
});

const AbandonAttemptInput = builder.inputType('AbandonAttemptInput', {
  description: 'Which attempt to give up.',
  fields: (t) => ({ attemptId: t.id({ required: true, description: 'Global ID of the attempt.' }) }),
});

const SaveDraftInput = builder.inputType('SaveDraftInput', {
  description: 'A draft to keep in the solution history.',
  fields: (t) => ({
    attemptId: t.id({ required: true, description: 'Global ID of the attempt.' }),
    language: t.field({ type: LanguageEnum, required: true, description: 'Language of the code.' }),
    code: t.string({ required: true, description: 'The code (at most 64 KiB).' }),
  }),
});

const SubmitSolutionInput = builder.inputType('SubmitSolutionInput', {
  description:
    'A solution to evaluate. Coding problems need `language` and `code`; debug labs the fix (`language`, `code`) and the diagnosis (`answer`, optionally `bugLine`); system design the written `answer`.',
  fields: (t) => ({
    attemptId: t.id({ required: true, description: 'Global ID of the attempt.' }),
    language: t.field({ type: LanguageEnum, required: false, description: 'Language of the code.' }),
    code: t.string({ required: false, description: 'The code (at most 64 KiB).' }),
    answer: t.string({ required: false, description: 'The written answer: a design, or a debug diagnosis.' }),
    bugLine: t.int({ required: false, description: 'For a debug lab: the line you believe holds the bug.' }),
    idempotencyKey: t.string({
      required: true,
      description:
        'A key you choose per submission (e.g. a UUID). Retrying with the same key and payload returns the same submission; the same key with another payload is a Conflict.',
    }),
  }),
});

const practiceErrors = [InvalidInputError, NotFoundError, ForbiddenError, ConflictError];

builder.mutationFields((t) => ({
  startAttempt: t.prismaField({
    type: 'Attempt',
    description: 'Starts working on an item (pinned to its published version), or returns your active attempt on it.',
    args: { input: t.arg({ type: StartAttemptInput, required: true, description: 'The item.' }) },
    errors: {
      types: practiceErrors,
      directResult: true,
      union: { name: 'StartAttemptResult', description: 'The attempt, or why none was started.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const attempt = await startAttempt(
        ctx.runtime.prisma,
        ctx.viewer,
        idOf('ContentItem', input.contentItemId, ['input', 'contentItemId']),
      );
      return ctx.runtime.prisma.attempt.findUniqueOrThrow({ ...query, where: { id: attempt.id } });
    },
  }),
  abandonAttempt: t.prismaField({
    type: 'Attempt',
    description: 'Gives up an active attempt. Abandoning twice changes nothing.',
    args: { input: t.arg({ type: AbandonAttemptInput, required: true, description: 'The attempt.' }) },
    errors: {
      types: practiceErrors,
      directResult: true,
      union: { name: 'AbandonAttemptResult', description: 'The attempt, or why it was not abandoned.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const attempt = await abandonAttempt(
        ctx.runtime.prisma,
        ctx.viewer,
        idOf('Attempt', input.attemptId, ['input', 'attemptId']),
      );
      return ctx.runtime.prisma.attempt.findUniqueOrThrow({ ...query, where: { id: attempt.id } });
    },
  }),
  saveDraft: t.prismaField({
    type: 'SolutionSnapshot',
    description: 'Saves a draft to the solution history. Saving unchanged code again returns the latest snapshot.',
    args: { input: t.arg({ type: SaveDraftInput, required: true, description: 'The draft.' }) },
    errors: {
      types: practiceErrors,
      directResult: true,
      union: { name: 'SaveDraftResult', description: 'The snapshot, or why it was not saved.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const snapshot = await saveDraft(ctx.runtime.prisma, ctx.viewer, {
        ...input,
        attemptId: idOf('Attempt', input.attemptId, ['input', 'attemptId']),
      });
      return ctx.runtime.prisma.solutionSnapshot.findUniqueOrThrow({ ...query, where: { id: snapshot.id } });
    },
  }),
  submitSolution: t.prismaField({
    type: 'Submission',
    description: 'Hands in a solution and queues its evaluation. Idempotent per `idempotencyKey`.',
    args: { input: t.arg({ type: SubmitSolutionInput, required: true, description: 'The solution.' }) },
    errors: {
      types: practiceErrors,
      directResult: true,
      union: { name: 'SubmitSolutionResult', description: 'The submission, or why it was refused.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const submission = await submitSolution(ctx.runtime, ctx.viewer, {
        ...input,
        attemptId: idOf('Attempt', input.attemptId, ['input', 'attemptId']),
      });
      return ctx.runtime.prisma.submission.findUniqueOrThrow({ ...query, where: { id: submission.id } });
    },
  }),
}));
