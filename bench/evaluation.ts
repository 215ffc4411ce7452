/**
 * Evaluation benchmark, on the real server with its pg-boss queue and the local sandbox:
 * - one 10-test JavaScript submission, queued to completed (and from `submitSolution` over HTTP
 *   to its completion event), against one bare sandboxed process start (an empty program in the same container) plus the tests'
 *   own run time (timed inside a fresh unsandboxed Node process);
 * - 100 submissions queued at once, then worked by 2 workers: runs per second, against the
 *   same 100 evaluations run straight through the executor 2 at a time (no queue, no database);
 * - hostile runs: an 8-test submission that loops for ever (JavaScript and Python, while loading
 *   or inside the function), queued to completed, against the per-test CPU limit it may use.
 */
import { spawn } from 'node:child_process';
import { EVALUATION_QUEUE, openJobQueue } from '../api/evaluation/jobs.js';
import { followEvents } from '../api/evaluation/events.js';
import { startWorkerPool } from '../api/evaluation/worker.js';
import { parseEnv } from '../api/env.js';
import type { Database } from '../api/db.js';
import { DEFAULT_LIMITS, type ExecutionRequest } from '../api/execution/executor.js';
import { createExecutor } from '../api/execution/index.js';
import { timeBareStart } from '../api/execution/sandbox/probe.js';
import { createLogger } from '../api/logger.js';
import { publishedItem } from '../test/support/content.js';
import { startBenchServer } from './server.js';

export interface EvaluationReport {
  executor: string;
  /** Median of the repetitions, ms. */
  submissionMs: number;
  /** Median time from queued to completed, from the run's stored timestamps (the evaluation itself), ms. */
  evaluationMs: number;
  /** Median time the executor alone took for the same 10 tests, ms. */
  executorMs: number;
  bareStartMs: number;
  /** The 10 tests' own run time in a fresh unsandboxed Node process, median, ms. */
  testsRunMs: number;
  repetitions: number;
  queued: number;
  workers: number;
  /** Runs per second through the queue with `workers` workers. */
  queueRunsPerSecond: number;
  /** Runs per second straight through the executor, `workers` at a time. */
  directRunsPerSecond: number;
  /** The per-test CPU limit: what a hostile run may use before it is stopped, ms. */
  cpuLimitMs: number;
  /** Each hostile 8-test run, queued to completed, median of `hostileRepetitions`, ms. */
  hostile: { name: string; ms: number; verdicts: string }[];
  hostileRepetitions: number;
}

/** Programs that never end, at load or inside the function: each must end once, at the CPU limit. */
const HOSTILE = [
  {
    name: 'JavaScript, while loading',
    language: 'JAVASCRIPT',
    code: 'while (true) {}\nfunction solve(n) { return n; }',
  },
  { name: 'JavaScript, in the function', language: 'JAVASCRIPT', code: 'function solve(n) { while (true) {} }' },
  { name: 'Python, while loading', language: 'PYTHON', code: 'while True: pass\ndef solve(n):\n    return n\n' },
  { name: 'Python, in the function', language: 'PYTHON', code: 'def solve(n):\n    while True: pass\n' },
] as const;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Ten tests of a function doing a little real work (sorting 5,000 numbers). */
const TESTS = Array.from({ length: 10 }, (_, i) => {
  const values = Array.from({ length: 5_000 }, (_, j) => (j * 7919 + i * 104729) % 10_007);
  return {
    name: `test ${i + 1}`,
    args: [values],
    expected: [...values].sort((a, b) => a - b).slice(0, 3),
    hidden: i >= 8,
  };
});
const SOLUTION = 'function smallestThree(values) {\n  return [...values].sort((a, b) => a - b).slice(0, 3);\n}\n';

/**
 * The tests' own run time: the 10 calls timed inside a fresh, unsandboxed Node process (so
 * on a cold VM, as in the sandbox), without the process's start.
 */
function timeTestsInProcess(): Promise<number> {
  const script = `${SOLUTION}
const tests = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const started = performance.now();
for (const test of tests) smallestThree(...test.args);
process.stdout.write(String(performance.now() - started));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`exit ${code}`))));
    child.stdin.end(JSON.stringify(TESTS));
  });
}

export async function benchEvaluation(
  db: Database,
  options: {
    repetitions: number;
    queued: number;
    workers: number;
    /** Runs of each hostile program (each takes about the CPU limit). */
    hostileRepetitions: number;
    log: (line: string) => void;
  },
): Promise<EvaluationReport> {
  const { log } = options;
  const logger = createLogger('silent');
  const executor = createExecutor(parseEnv({}));
  const request: ExecutionRequest = {
    language: 'JAVASCRIPT',
    code: SOLUTION,
    entrypoint: 'smallestThree',
    testCases: TESTS,
    limits: DEFAULT_LIMITS,
  };

  // Warm up the sandbox (the probe runs once per process), then time a bare start.
  await executor.run({ ...request, testCases: TESTS.slice(0, 1) }, () => {});
  const bare: number[] = [];
  for (let i = 0; i < options.repetitions; i += 1) bare.push(await timeBareStart('JAVASCRIPT'));
  const direct: number[] = [];
  const testsRun: number[] = [];
  for (let i = 0; i < options.repetitions; i += 1) testsRun.push(await timeTestsInProcess());
  for (let i = 0; i < options.repetitions; i += 1) {
    const started = performance.now();
    const results = await executor.run(request, () => {});
    direct.push(performance.now() - started);
    if (results.some((result) => result.verdict !== 'PASSED')) throw new Error('the benchmark solution failed');
  }
  log(`evaluation: bare start ${median(bare).toFixed(1)} ms, executor ${median(direct).toFixed(1)} ms for 10 tests`);

  const server = await startBenchServer(db);
  const jobs = await openJobQueue(db, { heartbeatSeconds: 30, retryLimit: 3, logger });
  try {
    const { item } = await publishedItem(
      db.prisma,
      {
        slug: `bench-smallest-three-${Date.now()}`,
        title: 'Smallest three',
        summary: 'Benchmark item: ten tests.',
        pattern: 'SORTING',
      },
      {
        kind: 'CODING',
        statement: 'Return the three smallest values, ascending.',
        entrypoint: 'smallestThree',
        starterCode: { JAVASCRIPT: 'function smallestThree(values) {\n}\n' },
        referenceSolution: { JAVASCRIPT: SOLUTION },
        testCases: TESTS,
        hints: [],
      },
    );
    const { item: hostileItem } = await publishedItem(
      db.prisma,
      { slug: `bench-hostile-${Date.now()}`, title: 'Identity', summary: 'Benchmark item: eight tests.' },
      {
        kind: 'CODING',
        statement: 'Return n.',
        entrypoint: 'solve',
        starterCode: { JAVASCRIPT: 'function solve(n) {\n}\n', PYTHON: 'def solve(n):\n    pass\n' },
        referenceSolution: { JAVASCRIPT: 'function solve(n) { return n; }' },
        testCases: Array.from({ length: 8 }, (_, i) => ({ name: `n=${i}`, args: [i], expected: i, hidden: false })),
        hints: [],
      },
    );
    const token = await server.logIn('student3@demo.test');
    const globalId = (id: string) => Buffer.from(`ContentItem:${id}`).toString('base64');
    const itemId = globalId(item.id);
    const gql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown };
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const startAttempt = async (id = itemId) =>
      (
        await gql<{ startAttempt: { id: string } }>(
          'mutation ($id: ID!) { startAttempt(input: { contentItemId: $id }) { ... on Attempt { id } } }',
          { id },
        )
      ).startAttempt.id;
    let key = 0;
    const submit = async (attemptId: string, code: string = SOLUTION, language = 'JAVASCRIPT') => {
      key += 1;
      const { submitSolution } = await gql<{ submitSolution: { evaluationRuns: { id: string }[] } }>(
        `mutation ($attemptId: ID!, $code: String!, $language: Language!, $key: String!) {
          submitSolution(input: { attemptId: $attemptId, language: $language, code: $code, idempotencyKey: $key }) {
            ... on Submission { evaluationRuns { id } }
          }
        }`,
        { attemptId, code, language, key: `bench-${Date.now()}-${key}` },
      );
      return Buffer.from(submitSolution.evaluationRuns[0]?.id ?? '', 'base64')
        .toString()
        .replace(/^EvaluationRun:/, '');
    };
    const finished = async (runId: string) => {
      for await (const event of followEvents(server.app.runtime, runId, 0, { pollMs: 50 })) {
        if (event.type === 'FAILED') throw new Error(`run ${runId} failed: ${JSON.stringify(event.payload)}`);
      }
    };

    // One submission at a time, with one idle worker waiting for it.
    const deps = { ...server.app.runtime.evaluation, executor };
    let pool = await startWorkerPool(deps, jobs, { concurrency: 1 });
    const submissions: number[] = [];
    const evaluations: number[] = [];
    for (let i = 0; i < options.repetitions; i += 1) {
      const attemptId = await startAttempt();
      const started = performance.now();
      const runId = await submit(attemptId);
      await finished(runId);
      submissions.push(performance.now() - started);
      const run = await db.prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
      evaluations.push((run.finishedAt?.getTime() ?? Number.NaN) - run.queuedAt.getTime());
    }
    log(`evaluation: submission to completion ${median(submissions).toFixed(1)} ms (median of ${options.repetitions})`);

    // Hostile runs, one at a time on the idle worker.
    const hostile: EvaluationReport['hostile'] = [];
    for (const program of HOSTILE) {
      const times: number[] = [];
      let verdicts = '';
      for (let i = 0; i < options.hostileRepetitions; i += 1) {
        const runId = await submit(await startAttempt(globalId(hostileItem.id)), program.code, program.language);
        await finished(runId);
        const run = await db.prisma.evaluationRun.findUniqueOrThrow({
          where: { id: runId },
          include: { testResults: { orderBy: { testIndex: 'asc' } } },
        });
        times.push((run.finishedAt?.getTime() ?? Number.NaN) - run.queuedAt.getTime());
        const counts = new Map<string, number>();
        for (const result of run.testResults) counts.set(result.verdict, (counts.get(result.verdict) ?? 0) + 1);
        verdicts = [...counts].map(([verdict, n]) => `${n} ${verdict}`).join(', ');
      }
      hostile.push({ name: program.name, ms: median(times), verdicts });
      log(`evaluation: hostile run (${program.name}) ${median(times).toFixed(0)} ms: ${verdicts}`);
    }
    await pool.stop();

    // 100 queued, then 2 workers.
    const attemptId = await startAttempt();
    const runIds: string[] = [];
    for (let i = 0; i < options.queued; i += 1) runIds.push(await submit(attemptId));
    log(`evaluation: ${options.queued} submissions queued; starting ${options.workers} workers`);
    const started = performance.now();
    pool = await startWorkerPool(deps, jobs, { concurrency: options.workers });
    // One count every 20 ms (following 100 runs' events would load the database more than the workers do).
    for (let done = 0, logged = 0; done < options.queued;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = await db.prisma.evaluationRun.count({
        where: { id: { in: runIds }, status: { in: ['SUCCEEDED', 'FAILED'] } },
      });
      if (done - logged >= 25) log(`evaluation: ${(logged = done)}/${options.queued} done`);
    }
    const failed = await db.prisma.evaluationRun.count({ where: { id: { in: runIds }, status: 'FAILED' } });
    if (failed > 0) throw new Error(`${failed} queued runs failed`);
    const queueSeconds = (performance.now() - started) / 1000;
    await pool.stop();

    const directStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.workers }, async () => {
        while (next < options.queued) {
          next += 1;
          await executor.run(request, () => {});
        }
      }),
    );
    const directSeconds = (performance.now() - directStarted) / 1000;
    const queueLeft = await jobs.queuedCount(EVALUATION_QUEUE);
    log(
      `evaluation: queue ${(options.queued / queueSeconds).toFixed(1)} runs/s, direct ${(options.queued / directSeconds).toFixed(1)} runs/s; ${queueLeft} left queued`,
    );
    return {
      executor: executor.name,
      submissionMs: median(submissions),
      evaluationMs: median(evaluations),
      executorMs: median(direct),
      bareStartMs: median(bare),
      testsRunMs: median(testsRun),
      repetitions: options.repetitions,
      queued: options.queued,
      workers: options.workers,
      queueRunsPerSecond: options.queued / queueSeconds,
      directRunsPerSecond: options.queued / directSeconds,
      cpuLimitMs: DEFAULT_LIMITS.cpuMs,
      hostile,
      hostileRepetitions: options.hostileRepetitions,
    };
  } finally {
    await jobs.stop();
    await server.app.stop();
  }
}
