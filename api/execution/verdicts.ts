/**
 * Judging, outside whatever ran the program: the returned value against the expected one,
 * and a test's record or its process's ending read as a verdict.
 */
import { isDeepStrictEqual } from 'node:util';
import type { TestCase } from '../content/body.js';
import type { RuntimeLanguage } from './driver.js';
import type { Limits, TestRunResult, Verdict } from './executor.js';
import { type ProgramOutcome, signalFromStatus } from './runner.js';
import type { TestSegment } from './test-run-reader.js';

/** Bytes of stdout / stderr kept per test in a result. */
export const KEPT_OUTPUT_BYTES = 8 * 1024;

/** Cuts `text` to `bytes` UTF-8 bytes, marking the cut. */
export function truncateOutput(text: string, bytes = KEPT_OUTPUT_BYTES): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  return `${buffer.subarray(0, bytes).toString('utf8')}\n…[truncated ${buffer.length - bytes} bytes]`;
}

/** Deep JSON equality; numbers compare with a small relative tolerance. */
export function valuesEqual(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Number.isInteger(actual) && Number.isInteger(expected)) return actual === expected;
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((value, i) => valuesEqual(value, expected[i]));
  }
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    if (Array.isArray(actual) || Array.isArray(expected)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(e);
    return Object.keys(a).length === keys.length && keys.every((key) => key in a && valuesEqual(a[key], e[key]));
  }
  return isDeepStrictEqual(actual, expected);
}

const MEMORY_PATTERNS: Record<RuntimeLanguage, RegExp> = {
  JAVASCRIPT:
    /JavaScript heap out of memory|Reached heap limit|Array buffer allocation failed|Fatal process out of memory|std::bad_alloc|Cannot allocate memory|ERR_MEMORY_ALLOCATION_FAILED/,
  PYTHON: /\bMemoryError\b|Cannot allocate memory/,
};

/** The verdict of a test that reported: what it returned, or that it threw; its CPU time against the limit. */
export function judgeSegment(
  index: number,
  language: RuntimeLanguage,
  testCase: TestCase,
  limits: Limits,
  segment: TestSegment,
): TestRunResult {
  const { record } = segment;
  const result = (verdict: Verdict): TestRunResult => ({
    index,
    verdict,
    durationMs: record.ms,
    stdout: truncateOutput(segment.stdout),
    stderr: truncateOutput(segment.stderr),
    actual: record.ok ? JSON.stringify(record.value ?? null) : null,
    memoryKb: typeof record.kb === 'number' ? Math.round(record.kb) : null,
  });
  if (!record.ok) return result(MEMORY_PATTERNS[language].test(segment.stderr) ? 'MEMORY_LIMIT' : 'RUNTIME_ERROR');
  if (record.cpuMs > limits.cpuMs) return result('TIME_LIMIT');
  return result(valuesEqual(record.value, testCase.expected) ? 'PASSED' : 'FAILED');
}

/** The verdict of the test that was running when its process ended (it never reported). */
export function judgeOutcome(
  index: number,
  language: RuntimeLanguage,
  limits: Limits,
  outcome: ProgramOutcome,
): TestRunResult {
  const result = (verdict: Verdict): TestRunResult => ({
    index,
    verdict,
    durationMs: outcome.durationMs,
    stdout: truncateOutput(outcome.stdout),
    stderr: truncateOutput(outcome.stderr),
    actual: null,
    memoryKb: outcome.memoryKb,
  });
  if (outcome.outputExceeded) return result('OUTPUT_LIMIT');
  if (outcome.timedOut || outcome.cpuExceeded || outcome.budgetSpent) return result('TIME_LIMIT');
  const signal = outcome.signal ?? signalFromStatus(outcome.exitCode);
  // RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one if SIGXCPU was ignored.
  if (signal === 'SIGXCPU') return result('TIME_LIMIT');
  if (signal === 'SIGKILL' && outcome.durationMs >= limits.cpuMs) return result('TIME_LIMIT');
  if (signal !== null || outcome.exitCode !== 0) {
    return result(MEMORY_PATTERNS[language].test(outcome.stderr) ? 'MEMORY_LIMIT' : 'RUNTIME_ERROR');
  }
  // Exited cleanly without returning (e.g. called exit inside the function): no answer.
  return result('FAILED');
}

/** A test's result when it did not run (its source did not compile or load, or the run ended first). */
export function resultWithoutRun(index: number, verdict: Verdict, message: string): TestRunResult {
  return { index, verdict, durationMs: 0, stdout: '', stderr: truncateOutput(message), actual: null, memoryKb: null };
}
