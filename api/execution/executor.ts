/**
 * The executor port: runs a student's function against test cases in isolation and reports
 * a verdict per test. Adapters: the local sandbox (bubblewrap, else unshare + prlimit),
 * Piston, and — only when explicitly configured — an unsandboxed local runner.
 */
import type { Language, TestCase } from '../content/body.js';

/** Outcome of one test case. */
export type Verdict =
  'PASSED' | 'FAILED' | 'TIME_LIMIT' | 'MEMORY_LIMIT' | 'RUNTIME_ERROR' | 'OUTPUT_LIMIT' | 'COMPILE_ERROR' | 'NOT_RUN';

/** Resource limits per test run (defaults like Judge0's). */
export interface Limits {
  cpuMs: number;
  wallMs: number;
  memoryBytes: number;
  processes: number;
  outputBytes: number;
  fileBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  cpuMs: 5_000,
  wallMs: 10_000,
  memoryBytes: 128 * 1024 * 1024,
  processes: 32,
  outputBytes: 1024 * 1024,
  fileBytes: 1024 * 1024,
};

/** The limits of an item's tests: the defaults, with the item's own overrides (its body's `limits`). */
export function itemLimits(overrides: { cpuMs?: number; wallMs?: number; memoryMb?: number } | undefined): Limits {
  return {
    ...DEFAULT_LIMITS,
    ...(overrides?.cpuMs ? { cpuMs: overrides.cpuMs } : {}),
    ...(overrides?.wallMs ? { wallMs: overrides.wallMs } : {}),
    ...(overrides?.memoryMb ? { memoryBytes: overrides.memoryMb * 1024 * 1024 } : {}),
  };
}

/** What to run. */
export interface ExecutionRequest {
  language: Language;
  code: string;
  /** Function the tests call. */
  entrypoint: string;
  testCases: readonly TestCase[];
  limits: Limits;
  /** Longest the whole run may take, in ms; the tests not finished by then are NOT_RUN. Default: 2 × `limits.cpuMs`. */
  runBudgetMs?: number;
}

/** The verdict of one test case; output is truncated, `actual` is what the function returned. */
export interface TestRunResult {
  index: number;
  verdict: Verdict;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** JSON of the returned value, when the program returned one. */
  actual: string | null;
  /** Peak resident memory of the process while it ran the test, in KiB; null where the executor cannot measure it (Piston). */
  memoryKb: number | null;
}

/** Runs code; `onTest` is called as each test finishes, in order. */
export interface Executor {
  /** e.g. `bubblewrap`, `unshare`, `piston`, `unsafe-local`. */
  readonly name: string;
  run(request: ExecutionRequest, onTest: (result: TestRunResult) => Promise<void> | void): Promise<TestRunResult[]>;
}

/** No sandbox could be set up: the run is not gradable and never costs the student a score. */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
  readonly reason = 'SANDBOX_UNAVAILABLE';
}
