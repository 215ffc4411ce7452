/**
 * The evaluation pipeline end to end: a submission is claimed by an in-process worker, run
 * in the sandbox test by test, and streamed to subscribers (graphql-ws and SSE) with replay.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../api/auth/passwords.js';
import { codingBodySchema } from '../api/content/body.js';
import type { Prisma } from '../api/generated/prisma/client.js';
import { seedItems } from '../prisma/seed/content/index.js';
import { publishedItem } from './support/content.js';
import { createOrganization, createUser, FIXTURE_PASSWORD } from './support/rewards.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let token = '';

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await server.graphql<T>(query, variables, { authorization: `Bearer ${token}` });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

type Event = {
  __typename: string;
  sequence: number;
  index?: number;
  verdict?: string;
  hidden?: boolean;
  memoryKb?: number | null;
  score?: number;
  criterionKey?: string;
  code?: string;
  passed?: boolean;
};

const EVENTS = /* GraphQL */ `
  subscription ($runId: ID!, $after: Int) {
    evaluationEvents(runId: $runId, afterSequence: $after) {
      __typename
      sequence
      ... on TestCaseFinished {
        index
        verdict
        hidden
        memoryKb
      }
      ... on EvaluationCompleted {
        score
      }
      ... on EvaluationFailed {
        reason
        gradable
      }
      ... on RubricCriterionScored {
        criterionKey
        points
        maxPoints
      }
      ... on DiagnosticRecorded {
        code
        passed
      }
    }
  }
`;

/** Collects a run's events over graphql-ws until the stream completes. */
async function follow(runId: string, after?: number): Promise<Event[]> {
  const results = await server.subscribe<{ evaluationEvents: Event }>(token, EVENTS, { runId, after });
  return results.map((data) => data.evaluationEvents);
}

async function submit(
  slug: string,
  language: string | null,
  code: string | null,
  key: string,
  extra: { answer?: string; bugLine?: number } = {},
): Promise<string> {
  const item = await gql<{ contentItem: { id: string } }>(
    'query ($slug: String!) { contentItem(slug: $slug) { id } }',
    { slug },
  );
  const started = await gql<{ startAttempt: { id: string } }>(
    'mutation ($input: StartAttemptInput!) { startAttempt(input: $input) { ... on Attempt { id } } }',
    { input: { contentItemId: item.contentItem.id } },
  );
  const submitted = await gql<{ submitSolution: { evaluationRuns: { id: string }[] } }>(
    'mutation ($input: SubmitSolutionInput!) { submitSolution(input: $input) { ... on Submission { evaluationRuns { id } } ... on Error { message } } }',
    { input: { attemptId: started.startAttempt.id, language, code, idempotencyKey: key, ...extra } },
  );
  const runId = submitted.submitSolution.evaluationRuns[0]?.id;
  if (!runId) throw new Error(JSON.stringify(submitted));
  return runId;
}

const TWO_SUM_JS =
  'function twoSum(nums, target) {\n  const seen = new Map();\n  for (let j = 0; j < nums.length; j++) {\n    const i = seen.get(target - nums[j]);\n    if (i !== undefined) return [i, j];\n    seen.set(nums[j], j);\n  }\n  return [];\n}\n';

beforeAll(async () => {
  server = await startTestServer({ env: { EVAL_CONCURRENCY: '1' } });
  const { body } = await server.graphql<{ logIn: { token: string } }>(
    'mutation { logIn(input: { email: "student3@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
  );
  token = body.data?.logIn.token ?? '';
});

describe('evaluation', () => {
  it('streams queued, started, each test as it finishes, then completed; and marks the item solved', async () => {
    const runId = await submit('two-sum', 'JAVASCRIPT', TWO_SUM_JS, 'eval-pass');
    const events = await follow(runId);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.__typename).toBe('EvaluationQueued');
    expect(events[1]?.__typename).toBe('EvaluationStarted');
    const tests = events.filter((e) => e.__typename === 'TestCaseFinished');
    expect(tests.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(tests.every((e) => e.verdict === 'PASSED')).toBe(true);
    expect(events.at(-1)).toMatchObject({ __typename: 'EvaluationCompleted', score: 1 });

    const progress = await gql<{ contentItem: { viewerProgress: { status: string; bestScore: number } } }>(
      '{ contentItem(slug: "two-sum") { viewerProgress { status bestScore } } }',
    );
    expect(progress.contentItem.viewerProgress).toEqual({ status: 'SOLVED', bestScore: 1 });
  });

  it('joins a run in the middle: stored events first, then live ones, with no gap or duplicate', async () => {
    const slow =
      'function twoSum(nums, target) {\n  const until = Date.now() + 400;\n  while (Date.now() < until) {}\n  for (let i = 0; i < nums.length; i++) for (let j = i + 1; j < nums.length; j++) if (nums[i] + nums[j] === target) return [i, j];\n  return [];\n}\n';
    const runId = await submit('two-sum', 'JAVASCRIPT', slow, 'eval-middle');
    const id = Buffer.from(runId, 'base64').toString().split(':')[1] ?? '';
    const { prisma } = server.database;
    for (let i = 0; i < 100 && (await prisma.codingTestResult.count({ where: { runId: id } })) === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const storedWhenJoining = await prisma.evaluationEvent.count({ where: { runId: id } });
    expect(storedWhenJoining).toBeGreaterThanOrEqual(3);
    const events = await follow(runId);
    expect(events.length).toBeGreaterThan(storedWhenJoining);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.__typename === 'TestCaseFinished').map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(events.at(-1)?.__typename).toBe('EvaluationCompleted');
  });

  it('replays a finished run from any sequence, then completes', async () => {
    const runId = await submit('two-sum', 'JAVASCRIPT', TWO_SUM_JS, 'eval-replay');
    const live = await follow(runId);
    expect(live.at(-1)?.__typename).toBe('EvaluationCompleted');
    // The finished run, replayed: whole from the start, and its tail from sequence 3.
    const all = await follow(runId);
    expect(all).toEqual(live);
    expect(all.length).toBeGreaterThan(5);
    const tail = await follow(runId, 3);
    expect(tail).toEqual(all.slice(3));
    expect(tail[0]?.sequence).toBe(4);
    expect(tail.at(-1)?.__typename).toBe('EvaluationCompleted');
  });

  it('reports failing tests, hiding hidden tests’ details, and records one result per test', async () => {
    const wrong = 'function twoSum(nums, target) { return [0, 1]; }';
    const runId = await submit('two-sum', 'JAVASCRIPT', wrong, 'eval-fail');
    const events = await follow(runId);
    const tests = events.filter((e) => e.__typename === 'TestCaseFinished');
    expect(tests.filter((e) => e.verdict === 'PASSED').length).toBeGreaterThan(0);
    expect(tests.filter((e) => e.verdict === 'FAILED').length).toBeGreaterThan(0);
    expect(tests.filter((e) => e.hidden).every((e) => e.verdict === 'PASSED' || e.verdict === 'FAILED')).toBe(true);
    const completed = events.at(-1);
    expect(completed?.__typename).toBe('EvaluationCompleted');
    expect(completed?.score).toBeLessThan(1);
    const { prisma } = server.database;
    const id = Buffer.from(runId, 'base64').toString().split(':')[1] ?? '';
    expect(await prisma.codingTestResult.count({ where: { runId: id } })).toBe(tests.length);
  });

  it('ends a submission that loops at the CPU limit: the rest NOT_RUN, memory measured, stored and streamed', async () => {
    const { prisma } = server.database;
    const twoSum = await prisma.contentVersion.findFirstOrThrow({ where: { contentItem: { slug: 'two-sum' } } });
    const body = twoSum.body as { testCases: { hidden: boolean }[] };
    // The first test is visible; the CPU limit is the item's.
    expect(body.testCases[0]?.hidden).toBe(false);
    await publishedItem(prisma, { slug: 'two-sum-loop' }, { ...body, limits: { cpuMs: 500, wallMs: 20_000 } });
    const started = performance.now();
    const runId = await submit('two-sum-loop', 'JAVASCRIPT', 'function twoSum() { for (;;) {} }', 'eval-loop');
    const events = await follow(runId);
    // The wall clock (20 s) never comes into it: the CPU limit ends the test, and the run.
    expect(performance.now() - started).toBeLessThan(10_000);
    const tests = events.filter((e) => e.__typename === 'TestCaseFinished');
    expect(tests.map((e) => e.verdict)).toEqual(['TIME_LIMIT', ...body.testCases.slice(1).map(() => 'NOT_RUN')]);
    expect(tests[0]?.memoryKb).toBeGreaterThan(1_000);
    expect(tests.slice(1).every((e) => e.memoryKb === null)).toBe(true);
    expect(events.at(-1)).toMatchObject({ __typename: 'EvaluationCompleted', score: 0 });

    const stored = await gql<{
      node: { testResults: { verdict: string; memoryKb: number | null; stderr: string | null }[] };
    }>('query ($id: ID!) { node(id: $id) { ... on EvaluationRun { testResults { verdict memoryKb stderr } } } }', {
      id: runId,
    });
    expect(stored.node.testResults[0]).toMatchObject({ verdict: 'TIME_LIMIT' });
    expect(stored.node.testResults[0]?.memoryKb).toBeGreaterThan(1_000);
    expect(stored.node.testResults[1]).toMatchObject({ verdict: 'NOT_RUN', memoryKb: null });
  });

  it('shows hidden tests’ names and verdicts, never their output, where the item’s organization allows it', async () => {
    const { prisma } = server.database;
    const organization = await prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
    const orgId = Buffer.from(`Organization:${organization.id}`).toString('base64');
    // An admin of the organization, and an item the organization owns (a copy of two-sum).
    const admin = await prisma.user.create({
      data: {
        email: `admin-${Date.now()}@demo.test`,
        name: 'Ari Admin',
        passwordHash: await hashPassword('an admin password'),
        memberships: { create: { organizationId: organization.id, role: 'ADMIN' } },
      },
    });
    const twoSum = await prisma.contentVersion.findFirstOrThrow({ where: { contentItem: { slug: 'two-sum' } } });
    await publishedItem(
      prisma,
      { slug: 'two-sum-demo', title: 'Two Sum', scope: organization.id, organizationId: organization.id },
      twoSum.body ?? {},
    );

    const set = (bearer: string, testVisibility: string) =>
      server.graphql<{ setTestVisibility: { __typename: string; testVisibility?: string } }>(
        `mutation ($input: SetTestVisibilityInput!) {
          setTestVisibility(input: $input) { __typename ... on Organization { testVisibility } }
        }`,
        { input: { organizationId: orgId, testVisibility } },
        { authorization: `Bearer ${bearer}` },
      );
    expect((await set(token, 'VERDICT_DETAILS')).body.data?.setTestVisibility.__typename).toBe('Forbidden');

    // Every test throws, with its input's size in the message: the output would give inputs away.
    const runId = await submit(
      'two-sum-demo',
      'JAVASCRIPT',
      'function twoSum(nums) { throw new Error("size " + nums.length); }',
      'hidden-details',
    );
    await follow(runId);
    const results = async () =>
      (
        await gql<{
          node: { testResults: { hidden: boolean; verdict: string; name: string | null; stderr: string | null }[] };
        }>(
          'query ($id: ID!) { node(id: $id) { ... on EvaluationRun { testResults { hidden verdict name stderr } } } }',
          { id: runId },
        )
      ).node.testResults.filter((result) => result.hidden);
    const hiddenBefore = await results();
    expect(hiddenBefore.length).toBeGreaterThan(0);
    expect(hiddenBefore).toEqual(
      hiddenBefore.map(() => ({ hidden: true, verdict: 'FAILED', name: null, stderr: null })),
    );

    const { body } = await server.graphql<{ logIn: { token: string } }>(
      'mutation ($email: String!) { logIn(input: { email: $email, password: "an admin password" }) { ... on AuthPayload { token } } }',
      { email: admin.email },
    );
    expect((await set(body.data?.logIn.token ?? '', 'VERDICT_DETAILS')).body.data?.setTestVisibility).toEqual({
      __typename: 'Organization',
      testVisibility: 'VERDICT_DETAILS',
    });
    const hiddenAfter = await results();
    expect(hiddenAfter.map((result) => [result.verdict, result.stderr])).toEqual(
      hiddenAfter.map(() => ['RUNTIME_ERROR', null]),
    );
    expect(hiddenAfter.every((result) => typeof result.name === 'string' && result.name.length > 0)).toBe(true);
  });

  it('masks hidden tests in the live events as in the stored results: the student per the organization’s setting, the instructor never', async () => {
    const { prisma } = server.database;
    const { organization, cls } = await createOrganization(prisma, 'Masking University');
    const student = await createUser(prisma, { organizationId: organization.id });
    const instructor = await createUser(prisma, { organizationId: organization.id });
    await prisma.enrollment.createMany({
      data: [
        { classId: cls.id, userId: student.id, role: 'STUDENT' },
        { classId: cls.id, userId: instructor.id, role: 'INSTRUCTOR' },
      ],
    });
    const twoSum = await prisma.contentVersion.findFirstOrThrow({ where: { contentItem: { slug: 'two-sum' } } });
    const slug = `two-sum-masking-${Date.now()}`;
    await publishedItem(prisma, { slug, scope: organization.id, organizationId: organization.id }, twoSum.body ?? {});
    const studentToken = await server.logIn(student.email, FIXTURE_PASSWORD);
    const instructorToken = await server.logIn(instructor.email, FIXTURE_PASSWORD);
    const hiddenTests = async (bearer: string, runId: string) =>
      (await server.subscribe<{ evaluationEvents: Event }>(bearer, EVENTS, { runId }))
        .map((data) => data.evaluationEvents)
        .filter((event) => event.__typename === 'TestCaseFinished' && event.hidden);
    const own = token;
    token = studentToken;
    try {
      // Every test throws: a RUNTIME_ERROR the student may see only where the organization allows it.
      const throws = 'function twoSum(nums) { throw new Error("size " + nums.length); }';
      const masked = await submit(slug, 'JAVASCRIPT', throws, 'masked-live');
      const seenByStudent = await hiddenTests(studentToken, masked);
      expect(seenByStudent.length).toBeGreaterThan(0);
      expect(seenByStudent.map((e) => [e.verdict, e.memoryKb])).toEqual(seenByStudent.map(() => ['FAILED', null]));
      // The student's instructor sees the same events unmasked.
      const seenByInstructor = await hiddenTests(instructorToken, masked);
      expect(seenByInstructor.map((e) => e.verdict)).toEqual(seenByStudent.map(() => 'RUNTIME_ERROR'));

      await prisma.organization.update({ where: { id: organization.id }, data: { testVisibility: 'VERDICT_DETAILS' } });
      const detailed = await submit(slug, 'JAVASCRIPT', throws, 'detailed-live');
      const detailedForStudent = await hiddenTests(studentToken, detailed);
      expect(detailedForStudent.map((e) => e.verdict)).toEqual(seenByStudent.map(() => 'RUNTIME_ERROR'));
      // Replayed from the store, the first run now shows the details too: the setting applies when read.
      expect((await hiddenTests(studentToken, masked)).map((e) => e.verdict)).toEqual(
        seenByStudent.map(() => 'RUNTIME_ERROR'),
      );
    } finally {
      token = own;
    }
  });

  it('shows each visible test’s arguments, expected and returned value, from the pinned version; a hidden test’s inputs to nobody', async () => {
    const { prisma } = server.database;
    const { organization, cls } = await createOrganization(prisma, 'Side by Side University');
    // Even where hidden tests show their names and verdicts, their inputs stay on the server.
    await prisma.organization.update({ where: { id: organization.id }, data: { testVisibility: 'VERDICT_DETAILS' } });
    const student = await createUser(prisma, { organizationId: organization.id });
    const instructor = await createUser(prisma, { organizationId: organization.id });
    await prisma.enrollment.createMany({
      data: [
        { classId: cls.id, userId: student.id, role: 'STUDENT' },
        { classId: cls.id, userId: instructor.id, role: 'INSTRUCTOR' },
      ],
    });
    const twoSum = await prisma.contentVersion.findFirstOrThrow({ where: { contentItem: { slug: 'two-sum' } } });
    const body = codingBodySchema.parse(twoSum.body);
    const slug = `two-sum-side-by-side-${Date.now()}`;
    const { item } = await publishedItem(
      prisma,
      { slug, scope: organization.id, organizationId: organization.id },
      twoSum.body ?? {},
    );
    const studentToken = await server.logIn(student.email, FIXTURE_PASSWORD);
    const instructorToken = await server.logIn(instructor.email, FIXTURE_PASSWORD);
    const own = token;
    token = studentToken;
    try {
      const itemId = Buffer.from(`ContentItem:${item.id}`).toString('base64');
      await gql('mutation ($input: StartAttemptInput!) { startAttempt(input: $input) { __typename } }', {
        input: { contentItemId: itemId },
      });
      // Version 2, published once the attempt has started, calls every test with other arguments.
      const second = await prisma.contentVersion.create({
        data: {
          contentItemId: item.id,
          version: 2,
          status: 'PUBLISHED',
          publishedAt: new Date(),
          body: {
            ...(twoSum.body as Prisma.JsonObject),
            testCases: body.testCases.map((testCase) => ({ ...testCase, args: [[40, 2], 42] })) as Prisma.JsonArray,
          },
        },
      });
      await prisma.contentItem.update({ where: { id: item.id }, data: { currentVersionId: second.id } });

      const runId = await submit(slug, 'JAVASCRIPT', 'function twoSum() { return [0, 1]; }', 'side-by-side');
      await follow(runId);
      type Result = { index: number; hidden: boolean; verdict: string; name: string | null } & Record<
        'args' | 'expected' | 'actual',
        unknown
      >;
      const resultsFor = async (bearer: string) => {
        const { body: response } = await server.graphql<{ node: { testResults: Result[] } }>(
          'query ($id: ID!) { node(id: $id) { ... on EvaluationRun { testResults { index hidden verdict name args expected actual } } } }',
          { id: runId },
          { authorization: `Bearer ${bearer}` },
        );
        return response.data?.node.testResults ?? [];
      };

      const seenByStudent = await resultsFor(studentToken);
      expect(seenByStudent).toEqual(
        body.testCases.map((testCase, index) => ({
          index,
          hidden: testCase.hidden,
          verdict: JSON.stringify(testCase.expected) === '[0,1]' ? 'PASSED' : 'FAILED',
          name: testCase.name,
          // The visible tests as the pinned version 1 states them; nothing of a hidden one but its name.
          args: testCase.hidden ? null : testCase.args,
          expected: testCase.hidden ? null : testCase.expected,
          actual: testCase.hidden ? null : [0, 1],
        })),
      );
      expect(seenByStudent[1]).toEqual({
        index: 1,
        hidden: false,
        verdict: 'FAILED',
        name: 'middle pair',
        args: [[3, 2, 4], 6],
        expected: [1, 2],
        actual: [0, 1],
      });
      expect(seenByStudent.filter((result) => result.hidden)).toHaveLength(2);
      const hiddenInputs = body.testCases.filter((testCase) => testCase.hidden).map((t) => JSON.stringify(t.args));
      for (const input of hiddenInputs) expect(JSON.stringify(seenByStudent)).not.toContain(input.slice(1, -1));

      // Their instructor sees what a hidden test returned, but not its inputs either.
      const seenByInstructor = await resultsFor(instructorToken);
      expect(seenByInstructor.filter((result) => result.hidden)).toEqual(
        seenByStudent.filter((result) => result.hidden).map((result) => ({ ...result, actual: [0, 1] })),
      );
      expect(seenByInstructor.filter((result) => !result.hidden)).toEqual(
        seenByStudent.filter((result) => !result.hidden),
      );
    } finally {
      token = own;
    }
  });

  it('streams over SSE too', async () => {
    const run = await server.database.prisma.evaluationRun.findFirstOrThrow({
      where: { submission: { idempotencyKey: 'eval-pass' } },
    });
    const runId = Buffer.from(`EvaluationRun:${run.id}`).toString('base64');
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: EVENTS, variables: { runId } }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await response.text();
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.length > 6)
      .map((line) => JSON.parse(line.slice(6)) as { data?: { evaluationEvents: Event } })
      .flatMap((message) => (message.data ? [message.data.evaluationEvents] : []));
    expect(data[0]?.__typename).toBe('EvaluationQueued');
    expect(data.at(-1)?.__typename).toBe('EvaluationCompleted');
  });

  it('refuses to stream another student’s run', async () => {
    const run = await server.database.prisma.evaluationRun.findFirstOrThrow({
      where: { submission: { idempotencyKey: 'eval-pass' } },
    });
    const runId = Buffer.from(`EvaluationRun:${run.id}`).toString('base64');
    const { body } = await server.graphql<{ logIn: { token: string } }>(
      'mutation { logIn(input: { email: "student1@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
    );
    const own = token;
    token = body.data?.logIn.token ?? '';
    try {
      await expect(follow(runId)).rejects.toThrow(/No evaluation run/);
    } finally {
      token = own;
    }
  });

  it('scores a system-design answer per criterion with the built-in scorer, labelled as such', async () => {
    const answer = [
      'Requirements: shorten long URLs, redirect with low latency at 10k QPS reads, 100 writes per second.',
      'API: POST /urls returns a short code; GET /{code} answers a 301 redirect.',
      'Storage: a key-value table code -> url, replicated; base62 codes from a counter or hash, collisions retried.',
      'Scaling: a cache (LRU, TTL) in front of the store for hot links, CDN at the edge, sharding by code.',
      'Analytics: click events sent to a queue and aggregated asynchronously. Expiry and abuse checks.',
    ].join('\n');
    const runId = await submit('design-a-url-shortener', null, null, 'design-eval', { answer });
    const events = await follow(runId);
    const scored = events.filter((e) => e.__typename === 'RubricCriterionScored');
    const rubric = seedItems.find((item) => item.slug === 'design-a-url-shortener')?.body;
    if (rubric?.kind !== 'SYSTEM_DESIGN') throw new Error('seed changed');
    expect(scored.map((e) => e.criterionKey)).toEqual(rubric.rubric.map((criterion) => criterion.key));
    const completed = events.at(-1);
    expect(completed?.__typename).toBe('EvaluationCompleted');
    expect(completed?.score).toBeGreaterThan(0);
    const id = Buffer.from(runId, 'base64').toString().split(':')[1] ?? '';
    const scores = await server.database.prisma.rubricScore.findMany({ where: { runId: id } });
    expect(scores.every((row) => row.scorer === 'builtin' && row.rationale.startsWith('Built-in scorer'))).toBe(true);
  });

  it('checks a debug lab’s diagnosis and runs the fix against the tests', async () => {
    const lab = seedItems.find((item) => item.slug === 'binary-search-misses-the-edge')?.body;
    if (lab?.kind !== 'DEBUG_LAB') throw new Error('seed changed');
    const diagnosis = `The loop condition is off by one: it should be lo <= hi. ${lab.expectedDiagnosis.keywords.map((group) => group[0]).join(' ')}`;
    const runId = await submit(
      'binary-search-misses-the-edge',
      'JAVASCRIPT',
      lab.referenceSolution.JAVASCRIPT ?? '',
      'debug-eval',
      {
        answer: diagnosis,
        bugLine: lab.expectedDiagnosis.bugLine,
      },
    );
    const events = await follow(runId);
    expect(events.filter((e) => e.__typename === 'DiagnosticRecorded')).toEqual([
      expect.objectContaining({ code: 'DIAGNOSIS_MATCH', passed: true }),
      expect.objectContaining({ code: 'BUG_LINE', passed: true }),
    ]);
    expect(events.filter((e) => e.__typename === 'TestCaseFinished').every((e) => e.verdict === 'PASSED')).toBe(true);
    expect(events.at(-1)).toMatchObject({ __typename: 'EvaluationCompleted', score: 1 });
  });

  it('does not show a student the expected bug line or the keywords their diagnosis missed', async () => {
    const lab = seedItems.find((item) => item.slug === 'binary-search-misses-the-edge')?.body;
    if (lab?.kind !== 'DEBUG_LAB') throw new Error('seed changed');
    const runId = await submit(
      'binary-search-misses-the-edge',
      'JAVASCRIPT',
      lab.starterCode.JAVASCRIPT ?? '',
      'debug-wrong',
      {
        answer: 'Something is wrong somewhere.',
        bugLine: lab.expectedDiagnosis.bugLine + 2,
      },
    );
    await follow(runId);
    const query = `query ($id: ID!) { node(id: $id) { ... on EvaluationRun { diagnostics { code passed evidence } } } }`;
    type Diagnostics = {
      node: { diagnostics: { code: string; passed: boolean; evidence: Record<string, unknown> }[] };
    };
    const own = await gql<Diagnostics>(query, { id: runId });
    const byCode = new Map(own.node.diagnostics.map((d) => [d.code, d]));
    expect(byCode.get('BUG_LINE')).toMatchObject({
      passed: false,
      evidence: { givenLine: lab.expectedDiagnosis.bugLine + 2 },
    });
    expect(byCode.get('BUG_LINE')?.evidence).not.toHaveProperty('expectedLine');
    expect(byCode.get('DIAGNOSIS_MATCH')?.passed).toBe(false);
    expect(byCode.get('DIAGNOSIS_MATCH')?.evidence).not.toHaveProperty('missing');
    expect(JSON.stringify(own)).not.toContain(lab.expectedDiagnosis.keywords[0]?.[0] ?? '(none)');

    const instructor = await server.logIn('instructor@demo.test');
    const theirs = await server.query<Diagnostics>(instructor, query, { id: runId });
    const line = theirs.node.diagnostics.find((d) => d.code === 'BUG_LINE');
    expect(line?.evidence).toMatchObject({ expectedLine: lab.expectedDiagnosis.bugLine });
  });
});
