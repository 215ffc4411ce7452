/** Code runs: the student's code run on the examples and on their own arguments, ungraded (LeetCode's "Run"). */
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import type { CodeRunCall } from '../evaluation/code-runs.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { CodeRun } from '../generated/prisma/client.js';
import { CodeRunStatus } from '../generated/prisma/enums.js';
import { visibleAttemptsWhere } from '../services/access.js';
import { MAX_ARGS_BYTES, runCode } from '../services/code-runs.js';
import { LanguageEnum } from './enums.js';
import { idOf, TestVerdictEnum } from './practice.js';

const CodeRunStatusEnum = builder.enumType(CodeRunStatus, {
  name: 'CodeRunStatus',
  description: 'Life cycle of a code run.',
  values: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'Running: calls arrive one by one.' },
    SUCCEEDED: { description: 'Every call ran (each with its own verdict).' },
    FAILED: { description: 'The platform could not run it (see `failureReason`); try again.' },
  },
});

const CodeRunCallSourceEnum = builder.enumType('CodeRunCallSource', {
  description: 'Where a call’s arguments came from.',
  values: {
    EXAMPLE: { description: 'A visible example of the item, with its expected value.' },
    CUSTOM: { description: 'The arguments the student typed.' },
  },
});

const CodeRunCallRef = builder.objectRef<CodeRunCall>('CodeRunCall').implement({
  description: 'One call of the student’s function in a code run, and what it did.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position in the run, from 0: the examples, then your own input.' }),
    source: t.field({
      type: CodeRunCallSourceEnum,
      description: 'Example or your own input.',
      resolve: (c) => c.source,
    }),
    name: t.exposeString('name', { description: 'The example’s name, or `your input`.' }),
    args: t.field({ type: 'JSON', description: 'The arguments it was called with.', resolve: (c) => c.args }),
    expected: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the example expects; null for your own input (there is nothing to compare with).',
      resolve: (c) => (c.source === 'EXAMPLE' ? (c.expected ?? null) : null),
    }),
    returned: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the function returned; null when it did not return (see `verdict` and `stderr`).',
      resolve: (c) => (c.returned === null ? null : (JSON.parse(c.returned) as unknown)),
    }),
    verdict: t.field({
      type: TestVerdictEnum,
      nullable: true,
      description:
        'PASSED or FAILED against an example’s expected value; for your own input null when it returned (nothing to compare with); otherwise how it ended (TIME_LIMIT, RUNTIME_ERROR, …).',
      resolve: (c) => c.verdict,
    }),
    stdout: t.exposeString('stdout', { description: 'What it printed (truncated).' }),
    stderr: t.exposeString('stderr', { description: 'Its standard error (truncated): errors and tracebacks.' }),
    durationMs: t.exposeInt('durationMs', { description: 'Run time in milliseconds.' }),
    memoryKb: t.int({
      nullable: true,
      description:
        'Peak resident memory of the process during the call, in KiB; null where it cannot be measured (Piston).',
      resolve: (c) => c.memoryKb,
    }),
  }),
});

const CodeRunRef = builder.prismaNode('CodeRun', {
  id: { field: 'id' },
  nullable: true,
  description:
    'The student’s code run on the item’s visible examples and on arguments of their own, before submitting. Never graded: no score, points or progress. The coach may cite the latest as `run:<number>`.',
  findUnique: (id, ctx) => ({ id, attempt: visibleAttemptsWhere(ctx.viewer) }),
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'Position among the attempt’s runs, from 1.' }),
    status: t.expose('status', { type: CodeRunStatusEnum, description: 'Where the run is.' }),
    language: t.expose('language', { type: LanguageEnum, description: 'Language of the code.' }),
    code: t.exposeString('code', { description: 'The code that ran.' }),
    args: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The arguments the student typed (an array), or null when only the examples ran.',
      resolve: (run) => run.args ?? null,
    }),
    calls: t.field({
      type: [CodeRunCallRef],
      description: 'What each call did so far, in order.',
      resolve: (run) => run.calls as unknown as CodeRunCall[],
    }),
    failureReason: t.exposeString('failureReason', {
      nullable: true,
      description: 'Why the platform could not run it (FAILED), e.g. `SANDBOX_UNAVAILABLE`.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was asked for.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it ended.' }),
    attempt: t.relation('attempt', { description: 'The attempt it belongs to.' }),
  }),
});

builder.prismaObjectFields('Attempt', (t) => ({
  codeRuns: t.relation('codeRuns', {
    description: 'Its code runs (runCode), oldest first.',
    query: { orderBy: { number: 'asc' } },
  }),
}));

const RunCodeInput = builder.inputType('RunCodeInput', {
  description: 'Code to run on the examples and, optionally, on arguments of your own. Nothing is graded.',
  fields: (t) => ({
    attemptId: t.id({ required: true, description: 'Global ID of the attempt (a coding problem or debug lab).' }),
    language: t.field({ type: LanguageEnum, required: true, description: 'Language of the code.' }),
    code: t.string({ required: true, description: 'The code (at most 64 KiB).' }),
    args: t.string({
      required: false,
      description: `The entry point’s arguments as a JSON array, e.g. \`[[2, 7, 11, 15], 9]\` (at most ${MAX_ARGS_BYTES / 1024} KiB). Omitted: the examples alone.`,
    }),
    idempotencyKey: t.string({
      required: false,
      description: 'A key you choose per run: a retry with the same key returns the same run.',
    }),
  }),
});

builder.mutationField('runCode', (t) =>
  t.prismaField({
    type: 'CodeRun',
    description:
      'Runs your code in the sandbox, once on each visible example and once on your own `args`, under the same limits as an evaluation. Not graded. Follow it with the `codeRun` subscription, or read it back.',
    args: { input: t.arg({ type: RunCodeInput, required: true, description: 'The code and arguments.' }) },
    errors: {
      types: [InvalidInputError, NotFoundError, ForbiddenError, ConflictError],
      directResult: true,
      union: { name: 'RunCodeResult', description: 'The queued run, or why it was not run.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const run = await runCode(ctx.runtime.prisma, ctx.runtime.jobs, ctx.viewer, {
        ...input,
        attemptId: idOf('Attempt', input.attemptId, ['input', 'attemptId']),
      });
      return ctx.runtime.prisma.codeRun.findUniqueOrThrow({ ...query, where: { id: run.id } });
    },
  }),
);

const ENDED: readonly CodeRun['status'][] = ['SUCCEEDED', 'FAILED'];

builder.subscriptionField('codeRun', (t) =>
  t.field({
    type: CodeRunRef,
    description:
      'A code run as it goes: its state now, then again each time a call finishes, until it SUCCEEDED or FAILED (the last one). For its student and their instructors.',
    args: { id: t.arg.id({ required: true, description: 'Global ID of the code run.' }) },
    subscribe: async function* (_root, args, ctx) {
      const id = idOf('CodeRun', String(args.id), ['id']);
      const visible = await ctx.runtime.prisma.codeRun.findFirst({
        where: { id, attempt: visibleAttemptsWhere(ctx.viewer) },
        select: { attemptId: true },
      });
      if (!visible) {
        throw new GraphQLError('No code run with this ID that you may follow.', { extensions: { code: 'NOT_FOUND' } });
      }
      await ctx.access.readAttempt(visible.attemptId);
      // Listen first, then read: a change between the two is not missed (each read is whole).
      const changes = ctx.runtime.pubsub.subscribe('code-run:changed', id);
      const iterator = changes[Symbol.asyncIterator]();
      let next: Promise<unknown> | null = null;
      let timer: NodeJS.Timeout | undefined;
      try {
        let last = '';
        for (;;) {
          const run = await ctx.runtime.prisma.codeRun.findUniqueOrThrow({ where: { id } });
          const seen = `${run.status}:${(run.calls as unknown[]).length}`;
          if (seen !== last) {
            last = seen;
            yield run;
          }
          if (ENDED.includes(run.status)) return;
          // Stored before announced: wait for the next change, or look again after a while (a lost wake-up).
          next ??= iterator.next().then(() => (next = null));
          await Promise.race([next, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
          clearTimeout(timer);
        }
      } finally {
        clearTimeout(timer);
        await iterator.return?.();
      }
    },
    resolve: (run) => run,
  }),
);
