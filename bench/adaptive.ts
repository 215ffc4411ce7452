/**
 * Adaptive tests: simulated examinees (θ ~ N(0, 1), answering by the 2PL model) take tests on
 * the seeded pool through the service layer, beside the same people on the same pool with
 * random selection and with jsCAT used directly (plain maximum-information selection); then
 * the time to answer and get the next question on a 5,000-question pool.
 *
 * Every method sees the same people and the same luck: person p answers item i right when
 * u[p][i] < P(θp, i), with one uniform u drawn per person and item.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers/promises';
import { Cat } from '@bdelab/jscat';
import seedrandom from 'seedrandom';
import { type EngineItem, engineItem, estimate, exposureCap, PRIOR, selectNext } from '../api/adaptive/engine.js';
import { createLookahead } from '../api/adaptive/lookahead.js';
import { type AdaptiveOptions, createPoolCache } from '../api/adaptive/pools.js';
import type { Viewer } from '../api/auth/viewer.js';
import type { Database } from '../api/db.js';
import { loadViewer } from '../api/services/accounts.js';
import { answerQuestion, startAdaptiveTest } from '../api/services/adaptive.js';
import { seedDatabase } from '../prisma/seed/index.js';
import { normal } from '../test/support/irt.js';

/** One selection method's figures over the simulated people. */
export interface MethodResult {
  name: string;
  rmse10: number;
  bias10: number;
  rmse20: number;
  bias20: number;
  /** Mean items until the standard error first reached 0.3, over those who reached it within 20. */
  itemsToTarget: number;
  /** The share of people who reached it within 20 items. */
  reachedTarget: number;
  /** The highest share of people any one item was given to. */
  maxExposure: number;
}

export interface Latency {
  poolSize: number;
  /** How long each examinee reads a question before answering it (ms). */
  thinkMs: number;
  answers: number;
  p50: number;
  p99: number;
}

export interface AdaptiveReport {
  /** jsCAT alone on the people the in-memory variants ran on. */
  variantBaseline: MethodResult;
  /** jsCAT's EAP estimate alone from 20 answers, median and p99 in ms: the floor of a step. */
  estimateAlone: { p50: number; p99: number };
  examinees: number;
  poolSize: number;
  methods: MethodResult[];
  /** Largest |θ of the session − jsCAT's θ from the session's own items and answers|. */
  maxThetaDifference: number;
  latency: Latency[];
  seconds: number;
}

const LENGTH = 20;
/** How many of the people the in-memory variants of the engine are run on. */
const VARIANT_PEOPLE = 300;
const TARGET_SE = 0.3;
const SLUG = 'algorithms-foundations';

/** What one person's test produced: θ and its standard error after each answer, and the items given. */
interface Trace {
  thetas: number[];
  errors: number[];
  items: string[];
}

const p2pl = (theta: number, item: EngineItem) => item.c + (1 - item.c) / (1 + Math.exp(-item.a * (theta - item.b)));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summarise(name: string, people: number[], traces: Trace[]): MethodResult {
  const at = (n: number) => {
    const errors = traces.map((trace, i) => (trace.thetas[n - 1] ?? trace.thetas.at(-1) ?? 0) - (people[i] ?? 0));
    return {
      rmse: Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length),
      bias: errors.reduce((sum, e) => sum + e, 0) / errors.length,
    };
  };
  const reached = traces.map((trace) => trace.errors.findIndex((se) => se <= TARGET_SE)).filter((i) => i >= 0);
  const exposure = new Map<string, number>();
  for (const trace of traces) for (const id of trace.items) exposure.set(id, (exposure.get(id) ?? 0) + 1);
  const ten = at(10);
  const twenty = at(20);
  return {
    name,
    rmse10: ten.rmse,
    bias10: ten.bias,
    rmse20: twenty.rmse,
    bias20: twenty.bias,
    itemsToTarget: reached.reduce((sum, i) => sum + i + 1, 0) / Math.max(reached.length, 1),
    reachedTarget: reached.length / traces.length,
    maxExposure: Math.max(...exposure.values()) / traces.length,
  };
}

async function viewers(db: Database, count: number, prefix: string): Promise<Viewer[]> {
  const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@bench.test`);
  await db.prisma.user.createMany({
    data: emails.map((email, i) => ({ email, name: `Examinee ${i}` })),
    skipDuplicates: true,
  });
  const users = await db.prisma.user.findMany({ where: { email: { in: emails } }, orderBy: { email: 'asc' } });
  const loaded = await Promise.all(users.map((user) => loadViewer(db.prisma, { userId: user.id })));
  return loaded.filter((viewer): viewer is Viewer => viewer !== null);
}

/** How long an examinee of the latency run reads each question before answering (ms); people take seconds. */
export const THINK_MS = 20;

/**
 * Each person takes a whole test through the services (no standard-error stop, 20 items),
 * with a lookahead as the server has; `answer(person, questionId)` says whether they answer it
 * right, after reading it for `thinkMs`. Returns the traces and every answer's latency
 * (answering, and the next question chosen) in milliseconds.
 */
async function throughServices(
  db: Database,
  poolId: string,
  people: Viewer[],
  answer: (person: number, questionId: string) => boolean,
  log: (line: string) => void,
  what: string,
  thinkMs = 0,
): Promise<{ traces: Trace[]; latencies: number[]; sessions: string[] }> {
  const lookahead = createLookahead();
  try {
    return await takeTests(db, poolId, people, answer, log, what, thinkMs, {
      idleMinutes: 30,
      pools: createPoolCache(),
      lookahead,
    });
  } finally {
    await lookahead.close();
  }
}

async function takeTests(
  db: Database,
  poolId: string,
  people: Viewer[],
  answer: (person: number, questionId: string) => boolean,
  log: (line: string) => void,
  what: string,
  thinkMs: number,
  options: AdaptiveOptions,
): Promise<{ traces: Trace[]; latencies: number[]; sessions: string[] }> {
  const questions = new Map(
    (await db.prisma.question.findMany({ where: { poolId } })).map((question) => [question.id, question]),
  );
  const traces: Trace[] = [];
  const latencies: number[] = [];
  const sessions: string[] = [];
  for (const [person, viewer] of people.entries()) {
    let session = await startAdaptiveTest(
      db.prisma,
      viewer,
      { poolId, maxQuestions: LENGTH, targetStandardError: 0.05 },
      options,
    );
    sessions.push(session.id);
    const trace: Trace = { thetas: [], errors: [], items: [] };
    while (session.status === 'ACTIVE' && session.currentQuestionId) {
      const question = questions.get(session.currentQuestionId);
      if (!question) throw new Error(`bench: unknown question ${session.currentQuestionId}`);
      const keys = (question.options as { key: string }[]).map((option) => option.key);
      const right = answer(person, question.id);
      if (thinkMs > 0) await setTimeout(thinkMs);
      const started = performance.now();
      session = await answerQuestion(
        db.prisma,
        viewer,
        {
          sessionId: session.id,
          questionId: question.id,
          choice: right ? question.correctOption : (keys.find((key) => key !== question.correctOption) ?? ''),
          idempotencyKey: `q${trace.items.length}`,
        },
        options,
      );
      latencies.push(performance.now() - started);
      trace.items.push(question.id);
      trace.thetas.push(session.theta);
      trace.errors.push(session.standardError);
    }
    traces.push(trace);
    if ((person + 1) % 100 === 0) log(`adaptive: ${what}: ${person + 1}/${people.length} examinees`);
  }
  return { traces, latencies, sessions };
}

/** The same people with jsCAT alone: plain maximum-information selection, EAP, the same prior. */
function withJsCat(items: EngineItem[], answer: (person: number, itemId: string) => boolean, count: number): Trace[] {
  return Array.from({ length: count }, (_, person) => {
    const cat = new Cat({
      method: 'EAP',
      itemSelect: 'MFI',
      priorDist: 'norm',
      priorPar: [PRIOR.theta, PRIOR.standardError],
      minTheta: -6,
      maxTheta: 6,
    });
    let remaining = items.map((item) => ({ id: item.id, a: item.a, b: item.b, c: item.c, d: 1 }));
    const trace: Trace = { thetas: [], errors: [], items: [] };
    for (let n = 0; n < LENGTH; n += 1) {
      const { nextStimulus, remainingStimuli } = cat.findNextItem(remaining);
      if (!nextStimulus) break;
      const id = String((nextStimulus as { id: string }).id);
      cat.updateAbilityEstimate(nextStimulus, answer(person, id) ? 1 : 0);
      remaining = remainingStimuli as typeof remaining;
      trace.items.push(id);
      trace.thetas.push(cat.theta);
      trace.errors.push(cat.seMeasurement);
    }
    return trace;
  });
}

/** The same people with items drawn at random (no selection at all), θ by the same estimator. */
function atRandom(items: EngineItem[], answer: (person: number, itemId: string) => boolean, count: number): Trace[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const rng = seedrandom('random-selection');
  return Array.from({ length: count }, (_, person) => {
    const order = [...items].sort(() => rng() - 0.5).slice(0, LENGTH);
    const trace: Trace = { thetas: [], errors: [], items: [] };
    const responses: { itemId: string; correct: boolean }[] = [];
    for (const item of order) {
      responses.push({ itemId: item.id, correct: answer(person, item.id) });
      const now = estimate(byId, responses, 'EAP');
      trace.items.push(item.id);
      trace.thetas.push(now.theta);
      trace.errors.push(now.standardError);
    }
    return trace;
  });
}

/**
 * The same people with the engine's selection in memory, with some of its rules: what each
 * rule costs in accuracy. `balance`: content balancing (each concept's quota); `topK`: the
 * randomesque draw (k at the first question, shrinking to half of it); `cap`: the exposure
 * cap across sessions (counted over the people before).
 */
function engineVariant(
  items: EngineItem[],
  answer: (person: number, itemId: string) => boolean,
  count: number,
  rules: { balance: boolean; topK: number; cap: boolean },
): Trace[] {
  const pool = rules.balance ? items : items.map((item) => ({ ...item, concepts: ['ALL'] }));
  const byId = new Map(pool.map((item) => [item.id, item]));
  const administered = new Map<string, number>();
  const settings = {
    estimator: 'EAP' as const,
    maxQuestions: LENGTH,
    targetStandardError: 0.05,
    exposureTopK: rules.topK,
    concepts: [],
  };
  return Array.from({ length: count }, (_, person) => {
    const trace: Trace = { thetas: [], errors: [], items: [] };
    const responses: { itemId: string; correct: boolean }[] = [];
    let theta = PRIOR.theta;
    for (let n = 0; n < LENGTH; n += 1) {
      const cap = exposureCap(person + 1);
      const overexposed = rules.cap
        ? new Set(pool.filter((item) => (administered.get(item.id) ?? 0) >= cap).map((item) => item.id))
        : undefined;
      const next = selectNext(pool, responses, theta, settings, { seed: `variant-${person}`, draw: n, overexposed });
      if (!next) break;
      administered.set(next.id, (administered.get(next.id) ?? 0) + 1);
      responses.push({ itemId: next.id, correct: answer(person, next.id) });
      const now = estimate(byId, responses, 'EAP');
      theta = now.theta;
      trace.items.push(next.id);
      trace.thetas.push(now.theta);
      trace.errors.push(now.standardError);
    }
    return trace;
  });
}

/** A global pool of `size` synthetic questions over the seeded pool's concepts. */
async function syntheticPool(db: Database, size: number, concepts: string[]): Promise<string> {
  const rng = seedrandom(`pool-${size}`);
  const pool = await db.prisma.questionPool.upsert({
    where: { scope_slug: { scope: 'global', slug: `bench-${size}` } },
    create: { scope: 'global', slug: `bench-${size}`, name: `Bench pool of ${size}`, concepts },
    update: {},
  });
  if ((await db.prisma.question.count({ where: { poolId: pool.id } })) === 0) {
    for (let start = 0; start < size; start += 1_000) {
      await db.prisma.question.createMany({
        data: Array.from({ length: Math.min(1_000, size - start) }, (_, k) => {
          const i = start + k;
          return {
            poolId: pool.id,
            key: `b-${i}`,
            stem: `Synthetic question ${i}`,
            options: [
              { key: 'A', text: 'right' },
              { key: 'B', text: 'wrong' },
            ],
            correctOption: 'A',
            concepts: [concepts[i % concepts.length] ?? 'HASHING'],
            discrimination: 0.7 + rng() * 1.5,
            difficulty: Math.max(-3.5, Math.min(3.5, normal(rng) * 1.2)),
          };
        }),
      });
    }
  }
  return pool.id;
}

export async function benchAdaptive(
  db: Database,
  options: { examinees: number; latencyExaminees: number; log: (line: string) => void },
): Promise<AdaptiveReport> {
  const began = performance.now();
  const { log } = options;
  await seedDatabase(db.prisma);
  const pool = await db.prisma.questionPool.findFirstOrThrow({
    where: { scope: 'global', slug: SLUG },
    include: { questions: { where: { status: 'ACTIVE' } } },
  });
  const items = pool.questions.map(engineItem);
  const rng = seedrandom('examinees');
  const people = Array.from({ length: options.examinees }, () => normal(rng));
  // One uniform per person and item: the same luck whichever method asks.
  const luck = people.map(() => new Map(items.map((item) => [item.id, rng()])));
  const byId = new Map(items.map((item) => [item.id, item]));
  const answer = (person: number, itemId: string) => {
    const item = byId.get(itemId);
    return item !== undefined && (luck[person]?.get(itemId) ?? 1) < p2pl(people[person] ?? 0, item);
  };

  log(`adaptive: ${options.examinees} examinees on the seeded pool (${items.length} questions) through the services…`);
  const examinees = await viewers(db, options.examinees, 'examinee');
  const service = await throughServices(db, pool.id, examinees, answer, log, 'the platform');
  log('adaptive: the same people with jsCAT alone and with random selection…');
  const jscatTraces = withJsCat(items, answer, people.length);
  const methods = [
    summarise(
      'the platform (services: EAP, randomesque top 5 shrinking to 3, concept quotas, exposure cap 0.25)',
      people,
      service.traces,
    ),
    summarise('jsCAT alone (plain maximum information)', people, jscatTraces),
    summarise('random selection', people, atRandom(items, answer, people.length)),
    // jsCAT's selection under the platform's exposure cap: what the cap alone costs, on every person.
    summarise(
      'maximum information with the exposure cap only (engine in memory)',
      people,
      engineVariant(items, answer, people.length, { balance: false, topK: 1, cap: true }),
    ),
    ...(
      [
        ['engine in memory: randomesque top 5 shrinking to 3 only', { balance: false, topK: 5, cap: false }],
        ['engine in memory: randomesque top 5 shrinking to 3 and the cap', { balance: false, topK: 5, cap: true }],
        ['engine in memory: concept quotas only', { balance: true, topK: 1, cap: false }],
      ] as const
    ).map(([name, rules]) =>
      // The first VARIANT_PEOPLE people only: each variant costs as much time as jsCAT alone.
      summarise(
        `${name} (the first ${Math.min(VARIANT_PEOPLE, people.length)} people)`,
        people.slice(0, VARIANT_PEOPLE),
        engineVariant(items, answer, Math.min(VARIANT_PEOPLE, people.length), rules),
      ),
    ),
  ];

  // The in-memory variants are set beside jsCAT alone on the same (first) people.
  const variantBaseline = summarise(
    'jsCAT alone',
    people.slice(0, VARIANT_PEOPLE),
    jscatTraces.slice(0, VARIANT_PEOPLE),
  );
  // θ of each session against jsCAT's from the session's own items and answers.
  let maxThetaDifference = 0;
  for (const [person, trace] of service.traces.entries()) {
    const cat = new Cat({ method: 'EAP', priorDist: 'norm', priorPar: [0, 1], minTheta: -6, maxTheta: 6 });
    cat.updateAbilityEstimate(
      trace.items.map((id) => {
        const item = byId.get(id);
        return { a: item?.a ?? 1, b: item?.b ?? 0, c: item?.c ?? 0, d: 1 };
      }),
      trace.items.map((id) => (answer(person, id) ? 1 : 0)),
    );
    maxThetaDifference = Math.max(maxThetaDifference, Math.abs(cat.theta - (trace.thetas.at(-1) ?? 0)));
  }

  // jsCAT's estimate alone, from each examinee's 20 answers: what every answer must compute.
  const alone: number[] = [];
  for (const [person, trace] of service.traces.slice(0, 200).entries()) {
    const responses = trace.items.map((id) => ({ itemId: id, correct: answer(person, id) }));
    const started = performance.now();
    estimate(byId, responses, 'EAP');
    alone.push(performance.now() - started);
  }
  alone.sort((x, y) => x - y);
  const latency: Latency[] = [];
  const sorted = (values: number[]) => [...values].sort((x, y) => x - y);
  const seeded = sorted(service.latencies);
  latency.push({
    poolSize: items.length,
    thinkMs: 0,
    answers: seeded.length,
    p50: percentile(seeded, 50),
    p99: percentile(seeded, 99),
  });
  const size = 5_000;
  log(`adaptive: a ${size}-question pool, ${options.latencyExaminees} examinees…`);
  const bigId = await syntheticPool(db, size, pool.concepts);
  const bigItems = (await db.prisma.question.findMany({ where: { poolId: bigId } })).map(engineItem);
  const bigById = new Map(bigItems.map((item) => [item.id, item]));
  // At once (each answer sent as the last one returns), and after reading each question for THINK_MS.
  for (const thinkMs of [0, THINK_MS]) {
    const bigRng = seedrandom(`latency-${thinkMs}`);
    const bigPeople = Array.from({ length: options.latencyExaminees }, () => normal(bigRng));
    const big = await throughServices(
      db,
      bigId,
      await viewers(db, options.latencyExaminees, `latency-${thinkMs}`),
      (person, id) => {
        const item = bigById.get(id);
        return item !== undefined && bigRng() < p2pl(bigPeople[person] ?? 0, item);
      },
      log,
      `${size} questions, reading ${thinkMs} ms`,
      thinkMs,
    );
    // The first answer of the first session reads the pool into the cache: left out.
    const warm = sorted(big.latencies.slice(1));
    latency.push({
      poolSize: size,
      thinkMs,
      answers: warm.length,
      p50: percentile(warm, 50),
      p99: percentile(warm, 99),
    });
  }
  return {
    variantBaseline,
    estimateAlone: { p50: percentile(alone, 50), p99: percentile(alone, 99) },
    examinees: options.examinees,
    poolSize: items.length,
    methods,
    maxThetaDifference,
    latency,
    seconds: (performance.now() - began) / 1000,
  };
}
