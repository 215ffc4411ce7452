/**
 * Runs programs on a Piston v2 server (`POST {PISTON_API_URL}/api/v2/execute`), one request
 * per program (a submission's tests run in one), and maps its run report (code, signal, status) to the shared verdicts. The
 * returned value is compared here, never on the Piston side.
 */
import type { PreparedProgram, RuntimeLanguage } from './driver.js';
import {
  type ExecutionRequest,
  type Executor,
  type Limits,
  SandboxUnavailableError,
  type TestRunResult,
} from './executor.js';
import { runTestCases } from './run-tests.js';
import type { ProgramOutcome, RunControl } from './runner.js';

/** Piston's name for each language that runs. */
export const PISTON_LANGUAGES: Record<RuntimeLanguage, string> = { JAVASCRIPT: 'javascript', PYTHON: 'python' };

/** The request body Piston's execute endpoint takes. */
export interface PistonExecuteRequest {
  language: string;
  version: string;
  files: { name: string; content: string }[];
  stdin: string;
  run_timeout: number;
  compile_timeout: number;
  run_memory_limit: number;
}

/** One stage (compile or run) of Piston's response; newer servers add status and timings. */
export interface PistonStage {
  stdout: string;
  stderr: string;
  output?: string;
  code: number | null;
  signal: string | null;
  /** `TO` timeout, `OL` / `EL` stdout / stderr too long, `SG` signal, `RE` runtime error, `XX` internal error. */
  status?: string | null;
  message?: string | null;
  wall_time?: number;
  cpu_time?: number;
  memory?: number;
}

export interface PistonExecuteResponse {
  language?: string;
  version?: string;
  run: PistonStage;
  compile?: PistonStage;
}

export interface PistonOptions {
  /** Base URL, e.g. `http://localhost:2000` (no `/api/v2`). */
  url: string;
  /** Tries per program on 429 / 5xx / network errors before the run is declared ungradable. */
  attempts?: number;
  fetch?: typeof fetch;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

function isStage(value: unknown): value is PistonStage {
  if (!value || typeof value !== 'object') return false;
  const stage = value as Record<string, unknown>;
  return typeof stage.stdout === 'string' && typeof stage.stderr === 'string';
}

/** Reads Piston's run stage as a process outcome. */
export function pistonOutcome(response: PistonExecuteResponse, limits: Limits, elapsedMs: number): ProgramOutcome {
  const compile = response.compile;
  if (compile && (compile.code !== 0 || compile.signal)) {
    return {
      exitCode: compile.code ?? 1,
      signal: null,
      stdout: compile.stdout,
      stderr: compile.stderr || compile.message || 'compilation failed',
      timedOut: compile.status === 'TO',
      outputExceeded: false,
      cpuExceeded: false,
      budgetSpent: false,
      memoryKb: null,
      durationMs: elapsedMs,
    };
  }
  const run = response.run;
  if (run.status === 'XX') throw new SandboxUnavailableError(`Piston failed internally: ${run.message ?? ''}`);
  const outputBytes = Buffer.byteLength(run.stdout) + Buffer.byteLength(run.stderr);
  const outputExceeded = run.status === 'OL' || run.status === 'EL' || outputBytes > limits.outputBytes;
  // Piston ends a run that outlives run_timeout with SIGKILL (status TO on newer servers).
  const timedOut =
    run.status === 'TO' || (!outputExceeded && run.signal === 'SIGKILL' && (run.status ?? 'SG') === 'SG');
  return {
    exitCode: run.code,
    signal: (run.signal as NodeJS.Signals | null) ?? null,
    stdout: run.stdout,
    stderr: run.stderr,
    timedOut,
    outputExceeded,
    cpuExceeded: false,
    budgetSpent: false,
    // Piston reports no memory per test (its `memory` is the whole program's, when reported at all).
    memoryKb: null,
    durationMs: typeof run.wall_time === 'number' ? run.wall_time : elapsedMs,
  };
}

/** The Piston executor. */
export function createPistonExecutor(options: PistonOptions): Executor {
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/v2/execute`;
  const attempts = Math.max(1, options.attempts ?? 3);
  const doFetch = options.fetch ?? fetch;

  async function execute(
    language: RuntimeLanguage,
    program: PreparedProgram,
    limits: Limits,
    control?: RunControl,
  ): Promise<ProgramOutcome> {
    // Piston reports only when the program ends, so the run's tests share one wall-clock
    // allowance, cut to what is left of the run's time budget.
    const allowance = limits.wallMs * (program.tests ?? 1);
    const left = control ? Math.max(1, Math.floor(control.deadline - performance.now())) : allowance;
    const body: PistonExecuteRequest = {
      language: PISTON_LANGUAGES[language],
      version: '*',
      files: [{ name: program.fileName, content: program.source }],
      stdin: program.stdin,
      run_timeout: Math.min(allowance, left),
      compile_timeout: limits.wallMs,
      run_memory_limit: limits.memoryBytes,
    };
    let problem = '';
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempt - 1)));
      const started = performance.now();
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(body.run_timeout * 2 + 30_000),
        });
      } catch (error) {
        problem = `Piston is unreachable: ${error instanceof Error ? error.message : String(error)}`;
        continue;
      }
      const text = await response.text();
      if (RETRYABLE.has(response.status)) {
        problem = `Piston answered ${response.status}: ${text.slice(0, 200)}`;
        continue;
      }
      if (!response.ok) {
        // e.g. 400 "python-* runtime is unknown": a configuration problem, not the student's.
        throw new SandboxUnavailableError(`Piston rejected the program (${response.status}): ${text.slice(0, 300)}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new SandboxUnavailableError(`Piston answered with invalid JSON: ${text.slice(0, 200)}`);
      }
      const result = parsed as Partial<PistonExecuteResponse>;
      if (!isStage(result.run) || (result.compile !== undefined && !isStage(result.compile))) {
        throw new SandboxUnavailableError(`Piston's answer has no run report: ${text.slice(0, 200)}`);
      }
      const outcome = pistonOutcome(result as PistonExecuteResponse, limits, performance.now() - started);
      return left < allowance && outcome.timedOut ? { ...outcome, timedOut: false, budgetSpent: true } : outcome;
    }
    throw new SandboxUnavailableError(problem);
  }

  return {
    name: 'piston',
    run: (request: ExecutionRequest, onTest: (result: TestRunResult) => Promise<void> | void) =>
      runTestCases(request, execute, onTest),
  };
}
