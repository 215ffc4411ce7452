/**
 * Runs a request's tests through a program runner: one program runs every test in order
 * (TypeScript transpiled once), each test is judged as its record arrives, and a test that
 * ends the program (a limit, a crash, an exit) is judged from how it ended, the tests after
 * it running in a new program.
 */
import { prepareTestRun, type RuntimeLanguage } from './driver.js';
import type { ExecutionRequest, Limits, TestRunResult } from './executor.js';
import type { ProgramRunner } from './runner.js';
import { type TestSegment, TestRunReader } from './test-run-reader.js';
import { transpileTypeScript } from './transpile.js';
import { judgeOutcome, judgeSegment, resultWithoutRun, truncateOutput } from './verdicts.js';

/** The run's time budget when the request sets none: twice the per-test CPU limit. */
export function defaultRunBudgetMs(limits: Limits): number {
  return 2 * limits.cpuMs;
}

/**
 * Runs a request through `runner`: one program for all the tests, each test reported through
 * `onTest` as it finishes. A source that does not compile marks every test COMPILE_ERROR (one
 * that throws while loading, RUNTIME_ERROR). A program that never finishes loading is stopped
 * once, and every test gets the verdict of how it ended (TIME_LIMIT for an endless loop).
 *
 * The CPU, wall-clock and output limits bind each test (a runner that streams starts them
 * again at each test; the CPU time is read from the host); a test that ends the program is
 * judged from how it ended, and the tests after it run in a new program, except after a
 * TIME_LIMIT: like a judge that stops at the first time-out, the rest are NOT_RUN. The run as
 * a whole has a time budget (`runBudgetMs`): once it is spent, the test running gets
 * TIME_LIMIT and the tests after it NOT_RUN. So no submission holds a worker for long.
 */
export async function runTestCases(
  request: ExecutionRequest,
  runner: ProgramRunner,
  onTest: (result: TestRunResult) => Promise<void> | void,
): Promise<TestRunResult[]> {
  const results: TestRunResult[] = [];
  let reporting = Promise.resolve();
  const report = (result: TestRunResult) => {
    results.push(result);
    reporting = reporting.then(() => onTest(result));
    // Awaited once the program has ended; until then a failed report must not count as unhandled.
    reporting.catch(() => {});
  };
  const { testCases, limits } = request;
  if (testCases.length === 0) return results;
  const notRun = (from: number, why: string) => {
    for (let index = from; index < testCases.length; index += 1) report(resultWithoutRun(index, 'NOT_RUN', why));
  };

  let language: RuntimeLanguage;
  let code = request.code;
  if (request.language === 'TYPESCRIPT') {
    const transpiled = await transpileTypeScript(code);
    if (!transpiled.ok) {
      for (const [index] of testCases.entries()) report(resultWithoutRun(index, 'COMPILE_ERROR', transpiled.message));
      await reporting;
      return results;
    }
    code = transpiled.code;
    language = 'JAVASCRIPT';
  } else {
    language = request.language;
  }

  const budgetMs = request.runBudgetMs ?? defaultRunBudgetMs(limits);
  const deadline = performance.now() + budgetMs;
  const budgetSpent = `the run's time budget (${formatSeconds(budgetMs)}) was spent.`;
  for (let from = 0; from < testCases.length;) {
    if (performance.now() >= deadline) {
      notRun(from, `Not run: ${budgetSpent}`);
      break;
    }
    const run = testCases.slice(from);
    const program = prepareTestRun(language, code, request.entrypoint, run);
    const first = from;
    const judge = (segment: TestSegment) => {
      const index = first + segment.record.i;
      const testCase = testCases[index];
      if (testCase) report(judgeSegment(index, language, testCase, limits, segment));
    };
    const reader = new TestRunReader(program.nonce, judge);
    const outcome = await runner(language, program, limits, { reader, deadline });
    if (!reader.used) {
      // The runner could not stream: read its whole output now.
      reader.push('stderr', Buffer.from(outcome.stderr));
      reader.push('stdout', Buffer.from(outcome.stdout));
    }
    await reporting;
    if (reader.load && !reader.loaded) {
      const message = reader.load.stderr || 'The program did not load.';
      for (let index = from; index < testCases.length; index += 1)
        report(resultWithoutRun(index, reader.load.load as 'COMPILE_ERROR' | 'RUNTIME_ERROR', message));
      break;
    }
    from += reader.finished.length;
    if (from >= testCases.length) break;
    const rest = reader.rest();
    const elapsed = reader.used ? performance.now() - reader.lastAt : outcome.durationMs;
    const ended = judgeOutcome(from, language, limits, {
      ...outcome,
      ...rest,
      durationMs: Math.min(elapsed, outcome.durationMs),
    });
    const why = outcome.budgetSpent
      ? `Stopped: ${budgetSpent}\n`
      : !reader.load && ended.verdict === 'TIME_LIMIT'
        ? 'Stopped: the program did not finish loading within the time limit.\n'
        : '';
    if (!reader.load) {
      // It ended before it finished loading: every test would start the same way.
      for (let index = from; index < testCases.length; index += 1) {
        report({ ...ended, index, stderr: truncateOutput(why + ended.stderr) });
      }
      break;
    }
    report({ ...ended, stderr: truncateOutput(why + ended.stderr) });
    from += 1;
    if (ended.verdict === 'TIME_LIMIT') {
      notRun(
        from,
        outcome.budgetSpent
          ? `Not run: ${budgetSpent}`
          : `Not run: test ${from} reached the time limit, which ends the run.`,
      );
      break;
    }
  }
  await reporting;
  return results;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
