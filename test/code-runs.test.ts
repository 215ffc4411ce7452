/**
 * runCode: the student's code on the visible examples and on their own arguments, in the real
 * sandbox, streamed over graphql-ws and SSE, never graded; bad arguments are typed errors; the
 * latest run is evidence the coach may cite (`run:<n>`), and instructors see it in the timeline.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ask, askTurn, followTurn, startAttempt } from './support/coach.js';
import { type MessagesApi, startMessagesApi, TEST_API_KEY, TEST_MODEL, toolStream } from './support/messages-api.js';
import { startTestServer, type TestServer, rawId } from './support/server.js';

let api: MessagesApi;
let server: TestServer;
let student = '';
let attemptId = '';

// Pairs an index with itself: right on some examples, wrong on others.
const CODE =
  'function twoSum(nums, target) {\n  console.log("looking at", nums.length);\n  for (let i = 0; i < nums.length; i++)\n    for (let j = i; j < nums.length; j++)\n      if (nums[i] + nums[j] === target) return [i, j];\n  return [];\n}\n';

const RUN_FIELDS = /* GraphQL */ `
  id
  number
  status
  args
  failureReason
  calls { index source name args expected returned verdict stdout stderr durationMs memoryKb }
`;

interface Call {
  index: number;
  source: string;
  name: string;
  args: unknown;
  expected: unknown;
  returned: unknown;
  verdict: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  memoryKb: number | null;
}
interface Run {
  id: string;
  number: number;
  status: string;
  args: unknown;
  failureReason: string | null;
  calls: Call[];
}
type RunResult = ({ __typename: 'CodeRun' } & Run) | { __typename: string; message: string; issues?: unknown };

async function runCode(input: Record<string, unknown>, token = student): Promise<RunResult> {
  const data = await server.query<{ runCode: RunResult }>(
    token,
    `mutation ($input: RunCodeInput!) {
      runCode(input: $input) {
        __typename
        ... on CodeRun { ${RUN_FIELDS} }
        ... on Error { message }
        ... on InvalidInput { issues { path message } }
      }
    }`,
    { input: { attemptId, language: 'JAVASCRIPT', code: CODE, ...input } },
  );
  return data.runCode;
}

/** Follows a run over graphql-ws until it ends; every snapshot in order. */
async function follow(id: string): Promise<Run[]> {
  const results = await server.subscribe<{ codeRun: Run }>(
    student,
    `subscription ($id: ID!) { codeRun(id: $id) { ${RUN_FIELDS} } }`,
    { id },
  );
  return results.map((data) => data.codeRun);
}

async function ranToEnd(input: Record<string, unknown>): Promise<Run> {
  const result = await runCode(input);
  if (result.__typename !== 'CodeRun') throw new Error(JSON.stringify(result));
  const snapshots = await follow((result as Run).id);
  const last = snapshots.at(-1);
  if (!last) throw new Error('no snapshot');
  return last;
}

beforeAll(async () => {
  api = await startMessagesApi();
  server = await startTestServer({
    env: {
      EVAL_CONCURRENCY: '1',
      ANTHROPIC_API_KEY: TEST_API_KEY,
      ANTHROPIC_BASE_URL: api.baseURL,
      ANTHROPIC_MODEL: TEST_MODEL,
      COACH_TURNS_PER_MINUTE: '1000',
      RATE_LIMIT_MUTATIONS_PER_MINUTE: '200',
    },
  });
  student = await server.logIn('student1@demo.test');
  attemptId = await startAttempt(server, student, 'two-sum');
}, 120_000);

describe('runCode', () => {
  it('runs the code on each visible example and on the student’s own input, streaming each call', async () => {
    const queued = await runCode({ args: '[[1, 5, 4], 8]' });
    expect(queued).toMatchObject({ __typename: 'CodeRun', number: 1, args: [[1, 5, 4], 8] });
    const snapshots = await follow((queued as Run).id);
    // Live: the run is seen with fewer calls before it is seen ended.
    expect(snapshots.length).toBeGreaterThan(1);
    expect(snapshots.map((s) => s.calls.length)).toEqual(
      [...snapshots.map((s) => s.calls.length)].sort((a, b) => a - b),
    );
    const run = snapshots.at(-1) as Run;
    expect(run.status).toBe('SUCCEEDED');

    const examples = await server.query<{
      contentItem: { currentVersion: { sampleTests: { name: string; args: unknown; expected: unknown }[] } };
    }>(student, '{ contentItem(slug: "two-sum") { currentVersion { sampleTests { name args expected } } } }');
    const samples = examples.contentItem.currentVersion.sampleTests;
    expect(run.calls).toHaveLength(samples.length + 1);
    for (const [index, sample] of samples.entries()) {
      const call = run.calls[index] as Call;
      expect(call).toMatchObject({
        index,
        source: 'EXAMPLE',
        name: sample.name,
        args: sample.args,
        expected: sample.expected,
      });
      expect(call.verdict).toBe(
        JSON.stringify(call.returned) === JSON.stringify(sample.expected) ? 'PASSED' : 'FAILED',
      );
    }
    // At least one example shows the bug (pairing an index with itself).
    expect(run.calls.some((call) => call.verdict === 'FAILED')).toBe(true);
    // The student's own input: what it returned, what it printed, no verdict (nothing to compare with).
    expect(run.calls.at(-1)).toMatchObject({
      source: 'CUSTOM',
      args: [[1, 5, 4], 8],
      returned: [2, 2],
      verdict: null,
      stdout: 'looking at 3\n',
      expected: null,
    });
    expect(run.calls.every((call) => (call.memoryKb ?? 0) > 1_000)).toBe(true);
  });

  it('is not graded: no submission, evaluation, score, points or progress', async () => {
    const { prisma } = server.database;
    const user = await prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
    const run = await ranToEnd({ code: CODE.replace('j = i', 'j = i + 1'), args: '[[3, 3], 6]' });
    expect(run.calls.filter((call) => call.source === 'EXAMPLE').every((call) => call.verdict === 'PASSED')).toBe(true);
    expect(await prisma.submission.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.evaluationRun.count({ where: { attempt: { userId: user.id } } })).toBe(0);
    expect(await prisma.pointsLedger.count({ where: { userId: user.id } })).toBe(0);
    const progress = await prisma.userContentProgress.findFirst({ where: { userId: user.id } });
    expect(progress?.bestScore ?? 0).toBe(0);
    const attempt = await prisma.attempt.findUniqueOrThrow({ where: { id: rawId(attemptId) } });
    expect(attempt.status).toBe('ACTIVE');
  });

  it('holds the student’s code to the same limits: an endless loop on their input is a time-out', async () => {
    const run = await ranToEnd({
      code: 'function twoSum(nums, target) { if (target === 0) for (;;) {} return [0, 1]; }',
      args: '[[1, 2], 0]',
    });
    expect(run.calls.at(-1)).toMatchObject({ source: 'CUSTOM', verdict: 'TIME_LIMIT', returned: null });
  }, 30_000);

  it('refuses bad arguments with a typed error naming what is wrong, and writes nothing', async () => {
    const { prisma } = server.database;
    const before = await prisma.codeRun.count();
    const cases: [string, RegExp][] = [
      ['[[1, 2], 3', /input\.args: is not JSON/],
      ['{"nums": [1, 2]}', /input\.args: must be a JSON array/],
      ['"text"', /input\.args: must be a JSON array/],
      [`[${'1,'.repeat(10_000)}1]`, /input\.args: is too large: \d+ bytes, at most 16384/],
    ];
    for (const [args, message] of cases) {
      const result = await runCode({ args });
      expect(result.__typename, args.slice(0, 20)).toBe('InvalidInput');
      expect((result as { message: string }).message).toMatch(message);
      expect((result as { issues: { path: string[] }[] }).issues[0]?.path).toEqual(['input', 'args']);
    }
    expect(await prisma.codeRun.count()).toBe(before);
  });

  it('returns one run for one idempotency key, even when retried at once; another payload is a Conflict', async () => {
    const key = `run-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runCode({ args: '[[2, 7], 9]', idempotencyKey: key })),
    );
    const ids = new Set(results.map((result) => (result as Run).id));
    expect(results.every((result) => result.__typename === 'CodeRun')).toBe(true);
    expect(ids.size).toBe(1);
    expect(await server.database.prisma.codeRun.count({ where: { idempotencyKey: key } })).toBe(1);
    const other = await runCode({ args: '[[2, 8], 10]', idempotencyKey: key });
    expect(other.__typename).toBe('Conflict');
    await follow([...ids][0] as string);
  });

  it('streams over SSE too', async () => {
    const result = await runCode({ args: '[[4, 4], 8]' });
    const id = (result as Run).id;
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${student}` },
      body: JSON.stringify({
        query: 'subscription ($id: ID!) { codeRun(id: $id) { status calls { returned } } }',
        variables: { id },
      }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const data = [...text.matchAll(/^data: (.+)$/gm)].map(
      (m) => JSON.parse(m[1] ?? '{}') as { data?: { codeRun: Run } },
    );
    const last = data.filter((d) => d.data).at(-1)?.data?.codeRun;
    expect(last?.status).toBe('SUCCEEDED');
    expect(last?.calls.at(-1)?.returned).toEqual([0, 0]);
  });

  it('is evidence the coach may cite as run:<n>, validated like the rest', async () => {
    const run = await ranToEnd({ args: '[[5, 1, 5], 10]' });
    const ref = `run:${run.number}`;
    api.script([
      toolStream('coach_reply', {
        message: 'On your own input [5, 1, 5] your function returned [0, 0]: it used the first 5 twice.',
        question: 'Which indices may j take when i is 0?',
        action: 'ASK_QUESTION',
        evidence: [ref],
      }),
    ]);
    const turn = await askTurn(server, student, { attemptId, message: 'Why [0, 0]?' });
    const events = await followTurn(server, student, turn.id);
    const done = events.at(-1);
    expect(done?.__typename).toBe('CoachTurnCompleted');
    const cited = done && 'turn' in done ? done.turn.evidence : [];
    expect(cited).toEqual([
      expect.objectContaining({ kind: 'CODE_RUN', ref, summary: expect.stringContaining('[0,0]') }),
    ]);
    // The prompt carried the run's input and output.
    const prompt = JSON.stringify(api.requests.at(-1)?.body);
    expect(prompt).toContain(`[${ref}]`);
    expect(prompt).toContain('[[5,1,5],10]');

    // An earlier run is not citable: only the latest is evidence.
    api.script([
      toolStream('coach_reply', {
        message: 'Your first run returned [2, 2].',
        question: 'What did you expect?',
        action: 'ASK_QUESTION',
        evidence: ['run:1'],
      }),
    ]);
    const stale = await ask(server, student, { attemptId, message: 'And my first run?' });
    const staleEvents = await followTurn(server, student, (stale as { id: string }).id);
    const staleDone = staleEvents.at(-1);
    const shown = staleDone && 'turn' in staleDone ? staleDone.turn : null;
    expect(shown?.evidence.some((item) => item.ref === 'run:1')).toBe(false);
    expect(shown?.action).toBe('NEEDS_MORE_INFO');
  });

  it('shows instructors the run’s input and output in the student’s timeline, beside the coach turns', async () => {
    const instructor = await server.logIn('instructor@demo.test');
    const { prisma } = server.database;
    const user = await prisma.user.findUniqueOrThrow({ where: { email: 'student1@demo.test' } });
    const studentId = Buffer.from(`User:${user.id}`).toString('base64');
    const history = await server.query<{
      learningHistory: { edges: { node: { __typename: string; number?: number; args?: unknown; calls?: Call[] } }[] };
    }>(
      instructor,
      `query ($studentId: ID!) {
        learningHistory(studentId: $studentId, first: 100) {
          ... on LearningEventConnection {
            edges { node { __typename ... on CodeRun { number args calls { source returned stdout } } } }
          }
        }
      }`,
      { studentId },
    );
    const kinds = history.learningHistory.edges.map((edge) => edge.node.__typename);
    expect(kinds).toContain('SocraticTurn');
    const runs = history.learningHistory.edges.map((edge) => edge.node).filter((node) => node.__typename === 'CodeRun');
    expect(runs.length).toBeGreaterThanOrEqual(5);
    const first = runs.find((node) => node.number === 1);
    expect(first?.args).toEqual([[1, 5, 4], 8]);
    expect(first?.calls?.at(-1)).toMatchObject({ source: 'CUSTOM', returned: [2, 2], stdout: 'looking at 3\n' });
    // The runs come before the coach turns that followed them (newest first).
    expect(kinds.indexOf('SocraticTurn')).toBeLessThan(kinds.lastIndexOf('CodeRun'));
  });

  it('counts against the mutation rate limit', async () => {
    const other = await server.logIn('student2@demo.test');
    const otherAttempt = await startAttempt(server, other, 'two-sum');
    let refused: { message: string } | null = null;
    for (let i = 0; i < 205 && !refused; i += 1) {
      const { body } = await server.graphql<{ runCode: { __typename: string } }>(
        'mutation ($input: RunCodeInput!) { runCode(input: $input) { __typename } }',
        { input: { attemptId: otherAttempt, language: 'PYTHON', code: '', args: '[' } },
        { authorization: `Bearer ${other}` },
      );
      if (body.errors?.[0]) refused = body.errors[0];
    }
    expect(refused?.message).toMatch(/Too many changes in a minute/);
  });
});
