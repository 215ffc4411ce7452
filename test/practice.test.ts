/** Attempts, drafts and submissions: pinned versions, idempotent writes, and who sees what. */
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const tokens: Record<string, string> = {};

/** Runs an operation as `who` (a key of `tokens`) or anonymously. */
function as<T>(who: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return server.query<T>(who ? (tokens[who] ?? null) : null, query, variables);
}

async function itemId(slug: string): Promise<string> {
  const data = await as<{ contentItem: { id: string } }>(
    null,
    'query ($slug: String!) { contentItem(slug: $slug) { id } }',
    { slug },
  );
  return data.contentItem.id;
}

const START = /* GraphQL */ `
  mutation ($input: StartAttemptInput!) {
    startAttempt(input: $input) {
      __typename
      ... on Attempt {
        id
        status
        version {
          version
          statement
        }
        contentItem {
          slug
        }
      }
      ... on InvalidInput {
        path
      }
      ... on Error {
        message
      }
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation ($input: SubmitSolutionInput!) {
    submitSolution(input: $input) {
      __typename
      ... on Submission {
        id
        code
        evaluationRuns {
          id
          kind
          status
        }
      }
      ... on Error {
        message
      }
      ... on InvalidInput {
        path
      }
    }
  }
`;

type Started = { startAttempt: { __typename: string; id: string; status: string; version: { version: number } } };
type Submitted = {
  submitSolution: {
    __typename: string;
    id?: string;
    message?: string;
    path?: string[];
    evaluationRuns?: { id: string; kind: string; status: string }[];
  };
};

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['student1', 'student2', 'instructor']) tokens[who] = await server.logIn(`${who}@demo.test`);
  // An instructor of another organization, who must see nothing of Demo University.
  const { prisma } = server.database;
  const other = await prisma.organization.create({
    data: { slug: 'other-school', name: 'Other School', openEnrollment: true },
  });
  const { body } = await server.graphql<{ signUp: { token: string } }>(
    'mutation { signUp(input: { email: "outsider@other.test", password: "password-1", name: "Outsider" }) { ... on AuthPayload { token } } }',
  );
  const outsider = await prisma.user.findUniqueOrThrow({ where: { email: 'outsider@other.test' } });
  await prisma.membership.create({ data: { userId: outsider.id, organizationId: other.id, role: 'INSTRUCTOR' } });
  tokens.outsider = body.data?.signUp.token ?? '';
});

describe('startAttempt', () => {
  it('pins the published version and returns the same active attempt when called again, even concurrently', async () => {
    const contentItemId = await itemId('two-sum');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => as<Started>('student1', START, { input: { contentItemId } })),
    );
    const ids = new Set(results.map((r) => r.startAttempt.id));
    expect(ids.size).toBe(1);
    expect(results[0]?.startAttempt).toMatchObject({
      __typename: 'Attempt',
      status: 'ACTIVE',
      version: { version: 1 },
    });
    expect(await server.database.prisma.attempt.count({ where: { user: { email: 'student1@demo.test' } } })).toBe(1);
  });

  it('asks anonymous visitors to sign in, and rejects an ID of the wrong type', async () => {
    const contentItemId = await itemId('two-sum');
    const anonymous = await as<Started>(null, START, { input: { contentItemId } });
    expect(anonymous.startAttempt.__typename).toBe('Forbidden');
    const wrong = await as<{ startAttempt: { __typename: string; path?: string[] } }>('student1', START, {
      input: { contentItemId: Buffer.from('User:123').toString('base64') },
    });
    expect(wrong.startAttempt).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'contentItemId'] });
  });
});

describe('saveDraft and submitSolution', () => {
  it('keeps every changed draft, and returns the latest when the same code is saved again', async () => {
    const started = await as<Started>('student2', START, {
      input: { contentItemId: await itemId('valid-parentheses') },
    });
    const attemptId = started.startAttempt.id;
    const save = (code: string) =>
      as<{ saveDraft: { id: string } }>(
        'student2',
        'mutation ($input: SaveDraftInput!) { saveDraft(input: $input) { ... on SolutionSnapshot { id } ... on Error { message } } }',
        { input: { attemptId, language: 'JAVASCRIPT', code } },
      );
    const first = await save('function isValid(s) { return false; }');
    const again = await save('function isValid(s) { return false; }');
    const second = await save('function isValid(s) { return true; }');
    expect(again.saveDraft.id).toBe(first.saveDraft.id);
    expect(second.saveDraft.id).not.toBe(first.saveDraft.id);
    const history = await as<{ node: { snapshots: { code: string }[] } }>(
      'student2',
      'query ($id: ID!) { node(id: $id) { ... on Attempt { snapshots { code } } } }',
      { id: attemptId },
    );
    expect(history.node.snapshots.map((s) => s.code)).toEqual([
      'function isValid(s) { return true; }',
      'function isValid(s) { return false; }',
    ]);
  });

  it('creates exactly one submission and one queued run for twenty concurrent identical calls', async () => {
    const started = await as<Started>('student1', START, { input: { contentItemId: await itemId('two-sum') } });
    const input = {
      attemptId: started.startAttempt.id,
      language: 'JAVASCRIPT',
      code: 'function twoSum(nums, target) { return [0, 1]; }',
      idempotencyKey: 'submit-twenty',
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => as<Submitted>('student1', SUBMIT, { input })));
    expect(new Set(results.map((r) => r.submitSolution.id)).size).toBe(1);
    expect(results[0]?.submitSolution.evaluationRuns).toEqual([
      { id: expect.any(String), kind: 'CODING_TESTS', status: 'QUEUED' },
    ]);
    const { prisma } = server.database;
    expect(await prisma.submission.count({ where: { idempotencyKey: 'submit-twenty' } })).toBe(1);
    expect(await prisma.evaluationRun.count({ where: { submission: { idempotencyKey: 'submit-twenty' } } })).toBe(1);

    const conflict = await as<Submitted>('student1', SUBMIT, {
      input: { ...input, code: 'function twoSum() { return []; }' },
    });
    expect(conflict.submitSolution.__typename).toBe('Conflict');
  });

  it('names what a track needs, and writes nothing for bad input', async () => {
    const coding = await as<Started>('student1', START, { input: { contentItemId: await itemId('two-sum') } });
    const missing = await as<Submitted>('student1', SUBMIT, {
      input: { attemptId: coding.startAttempt.id, idempotencyKey: 'no-code' },
    });
    expect(missing.submitSolution).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'language'] });
    expect(missing.submitSolution.message).toMatch(/input\.code: is required/);

    const design = await as<Started>('student1', START, {
      input: { contentItemId: await itemId('design-a-url-shortener') },
    });
    const empty = await as<Submitted>('student1', SUBMIT, {
      input: { attemptId: design.startAttempt.id, answer: '   ', idempotencyKey: 'empty-design' },
    });
    expect(empty.submitSolution).toMatchObject({ __typename: 'InvalidInput', path: ['input', 'answer'] });
    const written = await as<Submitted>('student1', SUBMIT, {
      input: {
        attemptId: design.startAttempt.id,
        answer: 'Hash IDs in base62, cache hot links.',
        idempotencyKey: 'design-1',
      },
    });
    expect(written.submitSolution.evaluationRuns?.[0]?.kind).toBe('RUBRIC');
    expect(
      await server.database.prisma.submission.count({ where: { idempotencyKey: { in: ['no-code', 'empty-design'] } } }),
    ).toBe(0);
  });

  it('refuses drafts and submissions on an abandoned attempt, and abandoning twice changes nothing', async () => {
    const started = await as<Started>('student2', START, { input: { contentItemId: await itemId('climbing-stairs') } });
    const attemptId = started.startAttempt.id;
    const abandon = () =>
      as<{ abandonAttempt: { __typename: string; status: string } }>(
        'student2',
        'mutation ($input: AbandonAttemptInput!) { abandonAttempt(input: $input) { __typename ... on Attempt { status } } }',
        { input: { attemptId } },
      );
    expect((await abandon()).abandonAttempt).toEqual({ __typename: 'Attempt', status: 'ABANDONED' });
    expect((await abandon()).abandonAttempt).toEqual({ __typename: 'Attempt', status: 'ABANDONED' });
    const late = await as<Submitted>('student2', SUBMIT, {
      input: { attemptId, language: 'PYTHON', code: 'def climbStairs(n):\n    return n\n', idempotencyKey: 'late' },
    });
    expect(late.submitSolution.__typename).toBe('Conflict');
    const restarted = await as<Started>('student2', START, {
      input: { contentItemId: await itemId('climbing-stairs') },
    });
    expect(restarted.startAttempt.id).not.toBe(attemptId);
  });
});

describe('who sees an attempt', () => {
  it('lists the viewer’s attempts by status, newest first', async () => {
    const data = await as<{
      viewer: {
        attempts: { totalCount: number; edges: { node: { status: string; contentItem: { slug: string } } }[] };
      };
    }>(
      'student2',
      '{ viewer { attempts(first: 10, status: ABANDONED) { totalCount edges { node { status contentItem { slug } } } } } }',
    );
    expect(data.viewer.attempts.totalCount).toBe(1);
    expect(data.viewer.attempts.edges[0]?.node).toEqual({
      status: 'ABANDONED',
      contentItem: { slug: 'climbing-stairs' },
    });
  });

  it('shows a student’s attempt to them and their instructor, and to nobody else', async () => {
    const attempt = await server.database.prisma.attempt.findFirstOrThrow({
      where: { user: { email: 'student1@demo.test' }, contentItem: { slug: 'two-sum' } },
    });
    const id = Buffer.from(`Attempt:${attempt.id}`).toString('base64');
    const query = 'query ($id: ID!) { node(id: $id) { ... on Attempt { user { name } } } }';
    expect((await as<{ node: unknown }>('student1', query, { id })).node).toEqual({ user: { name: 'Sam Student' } });
    expect((await as<{ node: unknown }>('instructor', query, { id })).node).toEqual({ user: { name: 'Sam Student' } });
    expect((await as<{ node: unknown }>('student2', query, { id })).node).toBeNull();
    expect((await as<{ node: unknown }>('outsider', query, { id })).node).toBeNull();
    expect((await as<{ node: unknown }>(null, query, { id })).node).toBeNull();

    const foreign = await as<Submitted>('student2', SUBMIT, {
      input: { attemptId: id, language: 'JAVASCRIPT', code: 'x', idempotencyKey: 'not-mine' },
    });
    expect(foreign.submitSolution.__typename).toBe('NotFound');
  });

  it('shows students only pass or fail for hidden tests; instructors see the details', async () => {
    const { prisma } = server.database;
    const run = await prisma.evaluationRun.findFirstOrThrow({
      where: { submission: { idempotencyKey: 'submit-twenty' } },
    });
    await prisma.codingTestResult.createMany({
      data: [
        {
          runId: run.id,
          testIndex: 0,
          name: 'example',
          hidden: false,
          verdict: 'PASSED',
          durationMs: 12,
          stdout: 'dbg',
        },
        {
          runId: run.id,
          testIndex: 3,
          name: 'negatives',
          hidden: true,
          verdict: 'TIME_LIMIT',
          durationMs: 5000,
          stdout: 'secret',
        },
      ],
    });
    const id = Buffer.from(`EvaluationRun:${run.id}`).toString('base64');
    const query =
      'query ($id: ID!) { node(id: $id) { ... on EvaluationRun { testResults { index hidden passed verdict name durationMs stdout } } } }';
    const student = await as<{ node: { testResults: unknown[] } }>('student1', query, { id });
    expect(student.node.testResults).toEqual([
      { index: 0, hidden: false, passed: true, verdict: 'PASSED', name: 'example', durationMs: 12, stdout: 'dbg' },
      { index: 3, hidden: true, passed: false, verdict: 'FAILED', name: null, durationMs: null, stdout: null },
    ]);
    const instructor = await as<{ node: { testResults: { verdict: string; name: string }[] } }>('instructor', query, {
      id,
    });
    expect(instructor.node.testResults[1]).toMatchObject({
      verdict: 'TIME_LIMIT',
      name: 'negatives',
      stdout: 'secret',
    });
  });
});
