/**
 * Tenancy: a member of organization A reaches nothing of organization B, by global ID or by
 * any root field; and every read of another person's history lands in the access log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const tokens: Record<string, string> = {};
/** Global IDs of every kind of object organization B holds. */
const bIds: Record<string, string> = {};
let bStudentId = '';
let bStudentGlobalId = '';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

async function as<T>(who: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await server.graphql<T>(query, variables, { authorization: `Bearer ${tokens[who]}` });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function signUp(email: string): Promise<string> {
  const { body } = await server.graphql<{ signUp: { token: string } }>(
    'mutation ($input: SignUpInput!) { signUp(input: $input) { ... on AuthPayload { token } } }',
    { input: { email, password: 'password-1', name: email.split('@')[0] } },
  );
  const token = body.data?.signUp.token;
  if (!token) throw new Error(JSON.stringify(body));
  return token;
}

beforeAll(async () => {
  server = await startTestServer();
  const { prisma } = server.database;
  for (const who of ['student1', 'instructor']) {
    const { body } = await server.graphql<{ logIn: { token: string } }>(
      'mutation ($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } } }',
      { input: { email: `${who}@demo.test`, password: 'practice' } },
    );
    tokens[who] = body.data?.logIn.token ?? '';
  }
  tokens.bInstructor = await signUp('teacher@b.test');
  tokens.bStudent = await signUp('learner@b.test');

  // Organization B, with one of everything.
  const org = await prisma.organization.create({ data: { slug: 'org-b', name: 'Org B' } });
  const teacher = await prisma.user.findUniqueOrThrow({ where: { email: 'teacher@b.test' } });
  const learner = await prisma.user.findUniqueOrThrow({ where: { email: 'learner@b.test' } });
  bStudentId = learner.id;
  bStudentGlobalId = gid('User', learner.id);
  await prisma.membership.createMany({
    data: [
      { userId: teacher.id, organizationId: org.id, role: 'INSTRUCTOR' },
      { userId: learner.id, organizationId: org.id, role: 'STUDENT' },
    ],
  });
  const cls = await prisma.class.create({ data: { organizationId: org.id, name: 'B class' } });
  await prisma.enrollment.createMany({
    data: [
      { classId: cls.id, userId: teacher.id, role: 'INSTRUCTOR' },
      { classId: cls.id, userId: learner.id, role: 'STUDENT' },
    ],
  });
  const item = await prisma.contentItem.create({
    data: {
      organizationId: org.id,
      scope: org.id,
      slug: 'b-secret-problem',
      track: 'CODING_INTERVIEW',
      title: 'B secret problem',
      summary: 'Only for org B.',
      difficulty: 'EASY',
      pattern: 'HASHING',
      rung: 1,
      tags: ['b-only'],
      estimatedMinutes: 5,
      basePoints: 10,
      timeBonusPoints: 0,
    },
  });
  const version = await prisma.contentVersion.create({
    data: { contentItemId: item.id, version: 1, status: 'PUBLISHED', publishedAt: new Date(), body: {} },
  });
  await prisma.contentItem.update({ where: { id: item.id }, data: { currentVersionId: version.id } });
  const assignment = await prisma.assignment.create({ data: { classId: cls.id, contentItemId: item.id } });
  const attempt = await prisma.attempt.create({
    data: { userId: learner.id, contentItemId: item.id, contentVersionId: version.id },
  });
  const snapshot = await prisma.solutionSnapshot.create({
    data: { attemptId: attempt.id, language: 'PYTHON', code: 'x = 1' },
  });
  const submission = await prisma.submission.create({
    data: {
      attemptId: attempt.id,
      userId: learner.id,
      language: 'PYTHON',
      code: 'x = 1',
      idempotencyKey: 'b1',
      payloadHash: 'h',
    },
  });
  const run = await prisma.evaluationRun.create({
    data: { submissionId: submission.id, attemptId: attempt.id, kind: 'CODING_TESTS' },
  });
  const turn = await prisma.socraticTurn.create({
    data: { attemptId: attempt.id, userId: learner.id, index: 0, role: 'STUDENT', message: 'help' },
  });
  const llm = await prisma.llmInteraction.create({
    data: {
      userId: learner.id,
      organizationId: org.id,
      attemptId: attempt.id,
      purpose: 'COACH',
      model: 'builtin',
      prompt: {},
    },
  });
  Object.assign(bIds, {
    Organization: gid('Organization', org.id),
    Class: gid('Class', cls.id),
    ContentItem: gid('ContentItem', item.id),
    ContentVersion: gid('ContentVersion', version.id),
    Assignment: gid('Assignment', assignment.id),
    Attempt: gid('Attempt', attempt.id),
    SolutionSnapshot: gid('SolutionSnapshot', snapshot.id),
    Submission: gid('Submission', submission.id),
    EvaluationRun: gid('EvaluationRun', run.id),
    SocraticTurn: gid('SocraticTurn', turn.id),
    LlmInteraction: gid('LlmInteraction', llm.id),
    User: bStudentGlobalId,
  });
});

const NODES = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';

describe('isolation between organizations', () => {
  it('lets organization B’s instructor reach every one of B’s objects by ID (the IDs are real)', async () => {
    const data = await as<{ nodes: ({ id: string } | null)[] }>('bInstructor', NODES, { ids: Object.values(bIds) });
    expect(data.nodes.map((node) => node?.id)).toEqual(Object.values(bIds));
  });

  it('gives a student and an instructor of organization A nothing of B by ID', async () => {
    for (const who of ['student1', 'instructor']) {
      const data = await as<{ nodes: unknown[] }>(who, NODES, { ids: Object.values(bIds) });
      expect(data.nodes).toEqual(Object.values(bIds).map(() => null));
    }
  });

  it('gives A’s members nothing of B through root fields', async () => {
    const logged = await server.database.prisma.accessLog.count({ where: { subjectId: bStudentId } });
    for (const who of ['student1', 'instructor']) {
      const data = await as<{
        organization: unknown;
        classes: { edges: { node: { name: string } }[] };
        contentItem: unknown;
        contentItems: { edges: { node: { slug: string } }[] };
        llmInteractions: { __typename: string; totalCount?: number };
        learningHistory: { __typename: string };
      }>(
        who,
        `query ($student: ID!) {
          organization(slug: "org-b") { id }
          classes(first: 100) { edges { node { name } } }
          contentItem(slug: "b-secret-problem") { id }
          contentItems(first: 100, filter: { tag: "b-only" }) { edges { node { slug } } }
          llmInteractions(first: 100, filter: { studentId: $student }) { __typename ... on QueryLlmInteractionsConnection { totalCount } }
          learningHistory(studentId: $student, first: 10) { __typename }
        }`,
        { student: bStudentGlobalId },
      );
      expect(data.organization).toBeNull();
      expect(data.classes.edges.map((edge) => edge.node.name)).not.toContain('B class');
      expect(data.contentItem).toBeNull();
      expect(data.contentItems.edges).toEqual([]);
      expect(data.llmInteractions.totalCount ?? 0).toBe(0);
      expect(data.learningHistory.__typename).toBe('NotFound');
    }
    expect(await server.database.prisma.accessLog.count({ where: { subjectId: bStudentId } })).toBe(logged);
  });
});

describe('the access log', () => {
  it('records one row per person and request when an instructor reads a student’s history by ID, none for own reads', async () => {
    const { prisma } = server.database;
    const before = await prisma.accessLog.count({ where: { subjectId: bStudentId } });
    await as('bStudent', NODES, { ids: [bIds.Attempt, bIds.SolutionSnapshot] });
    expect(await prisma.accessLog.count({ where: { subjectId: bStudentId } })).toBe(before);

    await as('bInstructor', NODES, {
      ids: [bIds.Attempt, bIds.SolutionSnapshot, bIds.Submission, bIds.EvaluationRun, bIds.SocraticTurn],
    });
    const rows = await prisma.accessLog.findMany({ where: { subjectId: bStudentId }, orderBy: { createdAt: 'asc' } });
    expect(rows.slice(before).map((row) => row.resource)).toEqual(['LEARNING_HISTORY']);

    await as('bInstructor', NODES, { ids: [bIds.LlmInteraction] });
    const after = await prisma.accessLog.findMany({ where: { subjectId: bStudentId }, orderBy: { createdAt: 'asc' } });
    expect(after.slice(before).map((row) => row.resource)).toEqual(['LEARNING_HISTORY', 'LLM_INTERACTIONS']);
  });

  it('logs reads reached through a user’s attempts and from an LLM call to its attempt, but not a count alone', async () => {
    const { prisma } = server.database;
    const resources = async (from: number) =>
      (await prisma.accessLog.findMany({ where: { subjectId: bStudentId }, orderBy: { createdAt: 'asc' } }))
        .slice(from)
        .map((row) => row.resource)
        .sort();
    const before = await prisma.accessLog.count({ where: { subjectId: bStudentId } });
    const USER = 'query ($id: ID!) { node(id: $id) { ... on User { attempts(first: 10) { totalCount %s } } } }';
    const EDGES = 'edges { node { submissions { id } snapshots { id } } }';

    const counted = await as<{ node: { attempts: { totalCount: number } } }>('bInstructor', USER.replace('%s', ''), {
      id: bStudentGlobalId,
    });
    expect(counted.node.attempts.totalCount).toBe(1);
    expect(await resources(before)).toEqual([]);

    await as('bStudent', USER.replace('%s', EDGES), { id: bStudentGlobalId });
    expect(await resources(before)).toEqual([]);

    const read = await as<{ node: { attempts: { edges: unknown[] } } }>('bInstructor', USER.replace('%s', EDGES), {
      id: bStudentGlobalId,
    });
    expect(read.node.attempts.edges).toHaveLength(1);
    expect(await resources(before)).toEqual(['LEARNING_HISTORY']);

    const llm = await as<{ node: { attempt: { id: string } | null } }>(
      'bInstructor',
      'query ($id: ID!) { node(id: $id) { ... on LlmInteraction { attempt { id } } } }',
      { id: bIds.LlmInteraction },
    );
    expect(llm.node.attempt?.id).toBe(bIds.Attempt);
    expect(await resources(before)).toEqual(['LEARNING_HISTORY', 'LEARNING_HISTORY', 'LLM_INTERACTIONS']);
  });
});
