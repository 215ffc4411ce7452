/**
 * Calibrating a question pool over GraphQL, on simulated data: 500 examinees (θ ~ N(0, 1))
 * answer 20 of 30 questions each by the 2PL model with known parameters, stored as sessions and
 * responses; the pool's questions start at a = 1, b = 0, as new questions would. The pg-boss
 * job must recover the generating parameters, report change and fit per question, change
 * nothing until accepted, and apply them once when accepted.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { probabilityCorrect } from '../api/adaptive/calibration.js';
import { hashPassword } from '../api/auth/passwords.js';
import { createLogger } from '../api/logger.js';
import { abandonCalibrationRun, processCalibrationRun } from '../api/services/calibration.js';
import type { Prisma } from '../api/generated/prisma/client.js';
import { correlation, normal, seededRandom } from './support/irt.js';
import { actingAs, globalId, rawId, startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const tokens: Record<string, string> = {};
const as = actingAs(() => ({ server, tokens }));
let poolId = '';
/** Every SQL statement the server's Prisma client sent. */
const statements: string[] = [];

const MAIN = 30;
const EXAMINEES = 500;
const PER_EXAMINEE = 20;
/** Questions only 40 examinees answered: below the default minResponses (100). */
const SPARSE = 3;

interface Truth {
  key: string;
  discrimination: number;
  difficulty: number;
  guessing: number;
}
const truth: Truth[] = [];

beforeAll(async () => {
  // In-process workers: the calibration job runs in the server, as it does by default.
  server = await startTestServer({ env: { EVAL_CONCURRENCY: '1' }, onQuery: (sql) => statements.push(sql) });
  const { prisma } = server.database;
  const org = await prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
  // An instructor of another organization: the pool is none of theirs.
  const other = await prisma.organization.create({ data: { slug: 'calibration-other', name: 'Other' } });
  const outsider = await prisma.user.create({
    data: { email: 'outsider@calibration.test', name: 'Outsider', passwordHash: await hashPassword('practice') },
  });
  await prisma.membership.create({ data: { userId: outsider.id, organizationId: other.id, role: 'INSTRUCTOR' } });

  // The pool and its data straight into the database, before any request: the bulk writes hold
  // the (in-process) database long enough for an idle HTTP connection to be cut under a request.
  const pool = await prisma.questionPool.create({
    data: { organizationId: org.id, scope: org.id, slug: 'calibrated', name: 'Calibrated', concepts: ['GRAPHS'] },
  });
  poolId = globalId('QuestionPool', pool.id);
  const random = seededRandom(2026);
  for (let i = 0; i < MAIN + SPARSE; i += 1) {
    truth.push({
      key: `q-${String(i).padStart(2, '0')}`,
      discrimination: 0.7 + 1.3 * random(),
      difficulty: -2 + 4 * random(),
      guessing: 0,
    });
  }
  // A 3PL question: a 2PL calibration must leave it as it is.
  truth.push({ key: 'q-guess', discrimination: 1.2, difficulty: 0.5, guessing: 0.2 });
  await prisma.question.createMany({
    data: truth.map((t) => ({
      poolId: pool.id,
      key: t.key,
      stem: `Question ${t.key}`,
      options: [
        { key: 'A', text: 'right' },
        { key: 'B', text: 'wrong' },
      ],
      correctOption: 'A',
      concepts: ['GRAPHS'],
      // Where a new question starts: the truth is only in the simulated answers.
      discrimination: 1,
      difficulty: 0,
      guessing: t.guessing,
    })),
  });
  const idOfKey = new Map((await prisma.question.findMany({ where: { poolId: pool.id } })).map((q) => [q.key, q.id]));

  // The examinees: one session each, of every status (all count), spread over a few students.
  const students = await Promise.all(
    Array.from({ length: 5 }, (_, s) =>
      prisma.user.create({ data: { email: `examinee-${s}@calibration.test`, name: `Examinee ${s}` } }),
    ),
  );
  const statuses = ['COMPLETED', 'COMPLETED', 'ABANDONED', 'EXPIRED', 'ACTIVE'] as const;
  const sessions: Prisma.AdaptiveTestSessionCreateManyInput[] = [];
  const responses: Prisma.TestResponseCreateManyInput[] = [];
  for (let p = 0; p < EXAMINEES; p += 1) {
    const theta = normal(random);
    const sessionId = randomUUID();
    const status = statuses[p % statuses.length] ?? 'COMPLETED';
    sessions.push({
      id: sessionId,
      poolId: rawId(poolId),
      userId: students[p % students.length]?.id ?? '',
      status,
      maxQuestions: PER_EXAMINEE + 2,
      targetStandardError: 0.3,
      theta: 0,
      standardError: 1,
      initialTheta: 0,
      initialStandardError: 1,
      seed: sessionId,
      expiresAt: new Date(Date.now() + 30 * 60_000),
      completedAt: status === 'ACTIVE' ? null : new Date(),
    });
    // 20 of the 30 main questions at random (a partial Fisher–Yates), a sparse one for the first
    // 40 examinees each, and the 3PL one for every other examinee.
    const order = Array.from({ length: MAIN }, (_, i) => i);
    for (let k = 0; k < PER_EXAMINEE; k += 1) {
      const j = k + Math.floor(random() * (MAIN - k));
      [order[k], order[j]] = [order[j] ?? 0, order[k] ?? 0];
    }
    const asked = order.slice(0, PER_EXAMINEE);
    if (p < 40 * SPARSE) asked.push(MAIN + Math.floor(p / 40));
    if (p % 2 === 0) asked.push(MAIN + SPARSE);
    asked.forEach((i, position) => {
      const t = truth[i];
      if (!t) throw new Error(`no question ${i}`);
      const p3 = t.guessing + (1 - t.guessing) * probabilityCorrect(theta, t.discrimination, t.difficulty);
      const correct = random() < p3;
      responses.push({
        sessionId,
        questionId: idOfKey.get(t.key) ?? '',
        position: position + 1,
        choice: correct ? 'A' : 'B',
        correct,
        thetaBefore: 0,
        thetaAfter: 0,
        standardErrorAfter: 1,
        idempotencyKey: `r${position}`,
      });
    });
  }
  await prisma.adaptiveTestSession.createMany({ data: sessions });
  for (let at = 0; at < responses.length; at += 2_000) {
    await prisma.testResponse.createMany({ data: responses.slice(at, at + 2_000) });
  }

  tokens.instructor = await server.logIn('instructor@demo.test');
  tokens.student = await server.logIn('student1@demo.test');
  tokens.outsider = await server.logIn('outsider@calibration.test');
}, 120_000);

const ERRORS = `... on Error { __typename message } ... on InvalidInput { path }`;
const RUN_FIELDS = `
  id status minResponses requestedAt startedAt finishedAt acceptedAt error persons iterations converged calibratedCount
  requestedBy { name } acceptedBy { name } pool { id }
  items {
    question { id key discrimination difficulty }
    responses calibrated skipReason accepted
    discriminationBefore difficultyBefore discrimination difficulty discriminationChange difficultyChange rmsd
  }`;

interface Item {
  question: { id: string; key: string; discrimination: number; difficulty: number };
  responses: number;
  calibrated: boolean;
  skipReason: string | null;
  accepted: boolean;
  discriminationBefore: number;
  difficultyBefore: number;
  discrimination: number | null;
  difficulty: number | null;
  discriminationChange: number | null;
  difficultyChange: number | null;
  rmsd: number | null;
}
interface Run {
  __typename: string;
  id: string;
  status: string;
  minResponses: number;
  acceptedAt: string | null;
  error: string | null;
  persons: number | null;
  converged: boolean | null;
  calibratedCount: number;
  requestedBy: { name: string };
  acceptedBy: { name: string } | null;
  pool: { id: string };
  items: Item[];
  message?: string;
  path?: string[];
}

const calibrate = async (who: string, input: Record<string, unknown>) =>
  (
    await as<{ calibrateQuestionPool: Run }>(
      who,
      `mutation ($input: CalibrateQuestionPoolInput!) { calibrateQuestionPool(input: $input) {
        __typename ... on CalibrationRun { ${RUN_FIELDS} } ${ERRORS} } }`,
      { input },
    )
  ).calibrateQuestionPool;

const accept = async (who: string, input: Record<string, unknown>) =>
  (
    await as<{ acceptCalibration: Run }>(
      who,
      `mutation ($input: AcceptCalibrationInput!) { acceptCalibration(input: $input) {
        __typename ... on CalibrationRun { ${RUN_FIELDS} } ${ERRORS} } }`,
      { input },
    )
  ).acceptCalibration;

const readRun = async (who: string, id: string) =>
  (
    await as<{ node: Run | null }>(
      who,
      `query ($id: ID!) { node(id: $id) { ... on CalibrationRun { ${RUN_FIELDS} } } }`,
      { id },
    )
  ).node;

/** Reads the run until the worker has finished it. */
async function finished(id: string): Promise<Run> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await readRun('instructor', id);
    if (run && ['SUCCEEDED', 'FAILED'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`calibration ${id} still ${run?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The pool's questions and revision as stored. */
async function stored() {
  const { prisma } = server.database;
  const pool = await prisma.questionPool.findUniqueOrThrow({
    where: { id: rawId(poolId) },
    include: { questions: { orderBy: { key: 'asc' } } },
  });
  return { revision: pool.revision, questions: pool.questions };
}

/** Every question back where it started (a = 1, b = 0), as a test that accepts leaves them otherwise. */
async function resetPool(): Promise<void> {
  await server.database.prisma.question.updateMany({
    where: { poolId: rawId(poolId) },
    data: { discrimination: 1, difficulty: 0 },
  });
}

/** A run of the instructor's, finished by the worker. */
async function calibratedRun(idempotencyKey: string, minResponses?: number): Promise<Run> {
  const queued = await calibrate('instructor', { poolId, idempotencyKey, minResponses });
  if (queued.__typename !== 'CalibrationRun') throw new Error(JSON.stringify(queued));
  return finished(queued.id);
}

describe('calibrateQuestionPool', () => {
  it('refuses students, outsiders, unknown pools and bad input, with typed errors', async () => {
    expect((await calibrate('student', { poolId, idempotencyKey: 'x' })).__typename).toBe('Forbidden');
    expect((await calibrate('outsider', { poolId, idempotencyKey: 'x' })).__typename).toBe('NotFound');
    const unknown = globalId('QuestionPool', '00000000-0000-7000-8000-000000000000');
    expect((await calibrate('instructor', { poolId: unknown, idempotencyKey: 'x' })).__typename).toBe('NotFound');
    expect(await calibrate('instructor', { poolId, idempotencyKey: 'x', minResponses: 5 })).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'minResponses'],
    });
    expect(await calibrate('instructor', { poolId: 'nope', idempotencyKey: 'x' })).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'poolId'],
    });
    expect(await server.database.prisma.calibrationRun.count({ where: { idempotencyKey: 'x' } })).toBe(0);
  });

  it('queues a run whose job recovers the generating parameters, reporting change and fit per question', async () => {
    await resetPool();
    const before = await stored();
    const queued = await calibrate('instructor', { poolId, idempotencyKey: 'recovery' });
    expect(queued).toMatchObject({ __typename: 'CalibrationRun', minResponses: 100, pool: { id: poolId } });
    expect(queued.requestedBy.name).toBeTruthy();
    // The same key: the same run; with another threshold, a Conflict.
    expect((await calibrate('instructor', { poolId, idempotencyKey: 'recovery' })).id).toBe(queued.id);
    expect((await calibrate('instructor', { poolId, idempotencyKey: 'recovery', minResponses: 50 })).__typename).toBe(
      'Conflict',
    );

    const run = await finished(queued.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', error: null, persons: EXAMINEES, converged: true });
    expect(run.items).toHaveLength(truth.length);
    expect(run.items.map((item) => item.question.key)).toEqual(truth.map((t) => t.key).sort());
    const byKey = new Map(run.items.map((item) => [item.question.key, item]));
    const main = truth.slice(0, MAIN).map((t) => ({ t, item: byKey.get(t.key) }));
    for (const { item } of main) {
      expect(item).toMatchObject({ calibrated: true, skipReason: null, discriminationBefore: 1, difficultyBefore: 0 });
      expect(item?.responses).toBeGreaterThan(250);
      expect(item?.difficultyChange).toBeCloseTo((item?.difficulty ?? NaN) - 0, 10);
      expect(item?.discriminationChange).toBeCloseTo((item?.discrimination ?? NaN) - 1, 10);
      // Data drawn from the model fit it.
      expect(item?.rmsd).toBeLessThan(0.1);
    }
    const rB = correlation(
      main.map(({ t }) => t.difficulty),
      main.map(({ item }) => item?.difficulty ?? NaN),
    );
    const rA = correlation(
      main.map(({ t }) => t.discrimination),
      main.map(({ item }) => item?.discrimination ?? NaN),
    );
    console.info(`calibration over GraphQL: r(b)=${rB.toFixed(3)} r(a)=${rA.toFixed(3)}`);
    expect(rB).toBeGreaterThanOrEqual(0.9);
    expect(rA).toBeGreaterThanOrEqual(0.5);
    // On the generating scale, not just in the right order (the N(0, 1) prior fixes the scale).
    const gap = main.reduce((sum, { t, item }) => sum + Math.abs((item?.difficulty ?? NaN) - t.difficulty), 0);
    expect(gap / MAIN).toBeLessThan(0.3);

    // Too few responses, or 3PL: reported, not estimated.
    for (const t of truth.slice(MAIN, MAIN + SPARSE)) {
      expect(byKey.get(t.key)).toMatchObject({
        calibrated: false,
        skipReason: 'FEW_RESPONSES',
        responses: 40,
        discrimination: null,
        difficulty: null,
        difficultyChange: null,
      });
      expect(byKey.get(t.key)?.rmsd).toBeGreaterThanOrEqual(0);
    }
    expect(byKey.get('q-guess')).toMatchObject({ calibrated: false, skipReason: 'GUESSING', responses: 250 });
    expect(run.calibratedCount).toBe(MAIN);

    // Nothing changed by itself.
    expect(await stored()).toEqual(before);
    for (const item of run.items) expect(item.question).toMatchObject({ discrimination: 1, difficulty: 0 });
  });

  it('shows runs to the pool’s authors only', async () => {
    const queued = await calibrate('instructor', { poolId, idempotencyKey: 'visible' });
    const CALIBRATIONS = `query ($id: ID!) { questionPool(id: $id) { calibrations { id } } }`;
    const own = await as<{ questionPool: { calibrations: { id: string }[] } }>('instructor', CALIBRATIONS, {
      id: poolId,
    });
    expect(own.questionPool.calibrations[0]?.id).toBe(queued.id);
    const student = await as<{ questionPool: { calibrations: unknown[] } }>('student', CALIBRATIONS, { id: poolId });
    expect(student.questionPool.calibrations).toEqual([]);
    expect(await readRun('instructor', queued.id)).toMatchObject({ id: queued.id });
    expect(await readRun('student', queued.id)).toBeNull();
    expect(await readRun('outsider', queued.id)).toBeNull();
    await finished(queued.id);
  });

  it('accepts only a finished run, only the questions it estimated, and only by the pool’s authors', async () => {
    const run = await calibratedRun('refusals');
    const before = await stored();
    const sparse = run.items.find((item) => item.skipReason === 'FEW_RESPONSES');
    expect(await accept('instructor', { runId: run.id, questionIds: [sparse?.question.id] })).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'questionIds', '0'],
    });
    expect((await accept('student', { runId: run.id })).__typename).toBe('Forbidden');
    expect((await accept('outsider', { runId: run.id })).__typename).toBe('NotFound');
    const { prisma } = server.database;
    const instructor = await prisma.user.findUniqueOrThrow({ where: { email: 'instructor@demo.test' } });
    const failed = await prisma.calibrationRun.create({
      data: {
        poolId: rawId(poolId),
        requestedById: instructor.id,
        minResponses: 100,
        idempotencyKey: 'failed-one',
        status: 'FAILED',
        error: 'for the test',
      },
    });
    expect((await accept('instructor', { runId: globalId('CalibrationRun', failed.id) })).__typename).toBe('Conflict');
    expect(await stored()).toEqual(before);
    expect((await readRun('instructor', run.id))?.status).toBe('SUCCEEDED');
  });

  it('applies the accepted parameters and bumps the pool’s revision, once', async () => {
    await resetPool();
    const run = await calibratedRun('accept');
    const before = await stored();
    const accepted = await accept('instructor', { runId: run.id });
    expect(accepted).toMatchObject({ __typename: 'CalibrationRun', status: 'ACCEPTED' });
    expect(accepted.acceptedBy?.name).toBe(accepted.requestedBy.name);
    const after = await stored();
    expect(after.revision).toBe(before.revision + 1);
    for (const item of accepted.items) {
      const question = after.questions.find((q) => q.id === rawId(item.question.id));
      if (item.calibrated) {
        expect(item.accepted).toBe(true);
        expect(question).toMatchObject({ discrimination: item.discrimination, difficulty: item.difficulty });
        expect(item.question).toMatchObject({ discrimination: item.discrimination, difficulty: item.difficulty });
      } else {
        expect(item.accepted).toBe(false);
        expect(question).toMatchObject({ discrimination: 1, difficulty: 0 });
      }
    }

    // Again: nothing changes.
    const again = await accept('instructor', { runId: run.id });
    expect(again).toMatchObject({ status: 'ACCEPTED', acceptedAt: accepted.acceptedAt });
    expect(await stored()).toEqual(after);
  });

  it('applies a run to the questions named, and only those', async () => {
    await resetPool();
    const run = await calibratedRun('named', 300);
    const picked = run.items.filter((item) => item.calibrated).slice(0, 2);
    expect(picked).toHaveLength(2);
    const before = await stored();
    const accepted = await accept('instructor', { runId: run.id, questionIds: picked.map((p) => p.question.id) });
    expect(
      accepted.items
        .filter((item) => item.accepted)
        .map((item) => item.question.id)
        .sort(),
    ).toEqual(picked.map((p) => p.question.id).sort());
    const after = await stored();
    const changed = after.questions.filter((q, i) => {
      const was = before.questions[i];
      return q.discrimination !== was?.discrimination || q.difficulty !== was?.difficulty;
    });
    expect(changed.map((q) => q.id).sort()).toEqual(picked.map((p) => rawId(p.question.id)).sort());
    expect(after.revision).toBe(before.revision + 1);
  });

  it('reads runs and their questions in as many statements however many there are', async () => {
    const READ = `query ($id: ID!) { questionPool(id: $id) { calibrations {
      id status items { question { id key correctOption explanation pool { name } } rmsd } } } }`;
    /** SELECTs of one read (a worker's writes, such as a sweep at that moment, are not the read's). */
    const selects = async () => {
      const from = statements.length;
      const data = await as<{ questionPool: { calibrations: { items: unknown[] }[] } }>('instructor', READ, {
        id: poolId,
      });
      return {
        runs: data.questionPool.calibrations.length,
        items: data.questionPool.calibrations.reduce((sum, run) => sum + run.items.length, 0),
        count: statements.slice(from).filter((sql) => /^\s*SELECT/i.test(sql)).length,
      };
    };
    await calibratedRun('count-1');
    const fewer = await selects();
    await calibratedRun('count-2');
    await calibratedRun('count-3');
    const more = await selects();
    expect(more.runs).toBe(fewer.runs + 2);
    expect(more.items).toBe(fewer.items + 2 * truth.length);
    expect(more.count).toBe(fewer.count);
    expect(more.count).toBeGreaterThan(0);
    expect(more.count).toBeLessThanOrEqual(8);
    // Whatever the client selects of the questions, each is paired with its own result, by key.
    const questions = await server.database.prisma.question.findMany({ where: { poolId: rawId(poolId) } });
    for (const [index, question] of questions.entries()) {
      await server.database.prisma.question.update({
        where: { id: question.id },
        data: { difficulty: -2 + index / 10 },
      });
    }
    const narrow = await as<{ node: { items: { question: { difficulty: number }; difficultyBefore: number }[] } }>(
      'instructor',
      `query ($id: ID!) { node(id: $id) { ... on CalibrationRun { items { question { difficulty } difficultyBefore } } } }`,
      { id: (await calibratedRun('count-4')).id },
    );
    expect(narrow.node.items).toHaveLength(truth.length);
    for (const item of narrow.node.items) expect(item.question.difficulty).toBe(item.difficultyBefore);
    console.info(`reading the runs: ${more.count} SELECTs`);
  });

  it('fails, saying why, on a pool without responses', async () => {
    const { prisma } = server.database;
    const org = await prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
    const empty = await prisma.questionPool.create({
      data: { organizationId: org.id, scope: org.id, slug: 'never-answered', name: 'Empty', concepts: ['GRAPHS'] },
    });
    await prisma.question.create({
      data: {
        poolId: empty.id,
        key: 'lonely',
        stem: 'Lonely?',
        options: [
          { key: 'A', text: 'yes' },
          { key: 'B', text: 'no' },
        ],
        correctOption: 'A',
        concepts: ['GRAPHS'],
        discrimination: 1,
        difficulty: 0,
      },
    });
    const queued = await calibrate('instructor', {
      poolId: globalId('QuestionPool', empty.id),
      idempotencyKey: 'empty',
    });
    expect(await finished(queued.id)).toMatchObject({
      status: 'FAILED',
      error: 'The pool has no stored responses yet.',
      items: [],
      persons: null,
    });
    expect((await accept('instructor', { runId: queued.id })).__typename).toBe('Conflict');
  });

  it('does the work once when its job is delivered twice, and again for a worker that died', async () => {
    const { prisma } = server.database;
    const deps = { prisma, logger: createLogger('silent') };
    const run = await calibratedRun('twice');
    const first = await prisma.calibrationRun.findUniqueOrThrow({ where: { id: rawId(run.id) } });
    await processCalibrationRun(deps, first.id);
    await abandonCalibrationRun(deps, first.id);
    expect(await prisma.calibrationRun.findUniqueOrThrow({ where: { id: first.id } })).toEqual(first);

    // Left RUNNING by a worker that died mid-way: the next delivery estimates it.
    const orphan = await prisma.calibrationRun.create({
      data: {
        poolId: rawId(poolId),
        requestedById: first.requestedById,
        minResponses: 100,
        idempotencyKey: 'orphan',
        status: 'RUNNING',
        startedAt: new Date(),
      },
    });
    await processCalibrationRun(deps, orphan.id);
    const redone = await prisma.calibrationRun.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(redone).toMatchObject({ status: 'SUCCEEDED', persons: EXAMINEES, error: null });
    expect(redone.items).toHaveLength(truth.length);

    // A job that used up its retries ends its run FAILED, with a reason.
    const stuck = await prisma.calibrationRun.create({
      data: { poolId: rawId(poolId), requestedById: first.requestedById, minResponses: 100, idempotencyKey: 'stuck' },
    });
    await abandonCalibrationRun(deps, stuck.id);
    expect(await prisma.calibrationRun.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/failed every time it was tried/),
    });
  });
});
