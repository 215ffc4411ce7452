/**
 * Limits that bind: a hostile program (an endless loop at load or inside the function) ends
 * once, at the CPU limit read from the host, on both sandboxes; a run's time budget ends the
 * tests not reached with NOT_RUN; each test's peak memory is measured.
 */
import { describe, expect, it } from 'vitest';
import type { Language, TestCase } from '../api/content/body.js';
import { DEFAULT_LIMITS, type Executor, type Limits, type TestRunResult } from '../api/execution/executor.js';
import { createExecutor } from '../api/execution/index.js';
import { runTestCases } from '../api/execution/run-tests.js';
import { runUnsafeProgram } from '../api/execution/unsafe-local.js';
import { describeWithBubblewrap } from './support/bubblewrap.js';
import { canRun, itWithPython } from './support/python.js';

const EIGHT: TestCase[] = Array.from({ length: 8 }, (_, i) => ({
  name: `n=${i}`,
  args: [i],
  expected: i,
  hidden: false,
}));

/** Loops for ever while loading, or inside the function from the second test on. */
const HOSTILE: { language: Language; where: 'load' | 'function'; code: string }[] = [
  { language: 'JAVASCRIPT', where: 'load', code: 'while (true) {}\nfunction solve(n) { return n; }' },
  { language: 'JAVASCRIPT', where: 'function', code: 'function solve(n) { if (n > 0) while (true) {} return n; }' },
  { language: 'PYTHON', where: 'load', code: 'while True: pass\ndef solve(n):\n    return n\n' },
  { language: 'PYTHON', where: 'function', code: 'def solve(n):\n    while n > 0:\n        pass\n    return n\n' },
];

// The wall clock and the budget are far away: only the CPU limit, read from the host, can stop these in time.
const HOSTILE_LIMITS: Limits = { ...DEFAULT_LIMITS, cpuMs: 1_000, wallMs: 30_000 };

async function timedRun(
  executor: Executor,
  request: { language: Language; code: string; testCases?: TestCase[]; limits?: Limits; runBudgetMs?: number },
): Promise<{ results: TestRunResult[]; ms: number }> {
  const started = performance.now();
  const results = await executor.run(
    {
      entrypoint: 'solve',
      testCases: EIGHT,
      limits: HOSTILE_LIMITS,
      runBudgetMs: 60_000,
      ...request,
    },
    () => {},
  );
  return { results, ms: performance.now() - started };
}

for (const mechanism of ['bubblewrap', 'unshare'] as const) {
  (mechanism === 'bubblewrap' ? describeWithBubblewrap : describe)(`limits (${mechanism})`, () => {
    const executor = createExecutor({}, { mechanism });

    for (const { language, where, code } of HOSTILE) {
      const test = language === 'PYTHON' ? itWithPython : it;
      test(`ends a ${language} program that loops for ever ${where === 'load' ? 'while loading' : 'in the function'} once, at the CPU limit`, async () => {
        const { results, ms } = await timedRun(executor, { language, code });
        const verdicts = results.map((r) => r.verdict);
        if (where === 'load') {
          // One process that never loads: every test it blocked gets TIME_LIMIT.
          expect(verdicts).toEqual(EIGHT.map(() => 'TIME_LIMIT'));
          expect(results[0]?.stderr).toContain('did not finish loading');
        } else {
          expect(verdicts).toEqual(['PASSED', 'TIME_LIMIT', ...EIGHT.slice(2).map(() => 'NOT_RUN')]);
          expect(results[2]?.stderr).toContain('test 2 reached the time limit');
        }
        // One process per test would take at least 8 × the CPU limit; the wall clock is 30 s.
        expect(ms).toBeLessThan(HOSTILE_LIMITS.cpuMs + 4_000);
      });
    }

    itWithPython('ends the test running when the run’s time budget is spent, and the rest NOT_RUN', async () => {
      const { results, ms } = await timedRun(executor, {
        language: 'PYTHON',
        code: 'import time\ndef solve(n):\n    time.sleep(0.8)\n    return n\n',
        testCases: EIGHT.slice(0, 4),
        limits: { ...DEFAULT_LIMITS, wallMs: 30_000 },
        runBudgetMs: 2_000,
      });
      expect(results.map((r) => r.verdict)).toEqual(['PASSED', 'PASSED', 'TIME_LIMIT', 'NOT_RUN']);
      expect(results[2]?.stderr).toContain("run's time budget (2 s) was spent");
      expect(ms).toBeLessThan(3_500);
    });

    it('measures each test’s peak memory, per test', async () => {
      const cases = EIGHT.slice(0, 3);
      for (const [language, code] of (
        [
          ['PYTHON', 'def solve(n):\n    block = bytearray(60_000_000) if n == 1 else None\n    return n\n'],
          ['JAVASCRIPT', 'function solve(n) { const block = n === 1 ? Buffer.alloc(60e6, 1) : null; return n; }'],
        ] as [Language, string][]
      ).filter(([language]) => canRun(language))) {
        const { results } = await timedRun(executor, { language, code, testCases: cases, limits: DEFAULT_LIMITS });
        expect(results.map((r) => r.verdict)).toEqual(['PASSED', 'PASSED', 'PASSED']);
        const [before, big, after] = results.map((r) => r.memoryKb ?? 0);
        // The interpreter's own memory, then 60 MB more in the test that allocates it.
        expect(before, language).toBeGreaterThan(1_000);
        expect((big ?? 0) - (before ?? 0), language).toBeGreaterThan(50_000);
        // Each test's peak is its own (Python frees the block at once; V8 keeps it until a collection).
        if (language === 'PYTHON') expect(after, language).toBeLessThan((big ?? 0) - 50_000);
      }
      // The test that ends the program is measured from the host.
      if (!canRun('PYTHON')) return;
      const { results } = await timedRun(executor, {
        language: 'PYTHON',
        code: 'def solve(n):\n    blocks = []\n    while True:\n        blocks.append(bytearray(10_000_000))\n',
        testCases: cases.slice(0, 1),
        limits: DEFAULT_LIMITS,
      });
      expect(results[0]?.verdict).toBe('MEMORY_LIMIT');
      expect(results[0]?.memoryKb).toBeGreaterThan(50_000);
    });
  });
}

describe('one process for a program that never loads', () => {
  it('starts one process, whatever the number of tests it blocks', async () => {
    let processes = 0;
    const results = await runTestCases(
      {
        language: 'JAVASCRIPT',
        code: 'while (true) {}\nfunction solve(n) { return n; }',
        entrypoint: 'solve',
        testCases: EIGHT,
        limits: HOSTILE_LIMITS,
        runBudgetMs: 60_000,
      },
      (...args) => {
        processes += 1;
        return runUnsafeProgram(...args);
      },
      () => {},
    );
    expect(results.map((r) => r.verdict)).toEqual(EIGHT.map(() => 'TIME_LIMIT'));
    expect(processes).toBe(1);
  });
});
