/**
 * What every executor shares: turning a request into programs (TypeScript transpiled once),
 * one syntax check per submission, and reading a process outcome as a verdict. The value a
 * program returned is compared here, outside whatever ran it.
 */
import { constants as osConstants } from 'node:os';
import type { Language, TestCase } from '../content/body.js';
import type { ExecutionRequest, Limits, TestRunResult, Verdict } from './executor.js';
import { parseOutput, type PreparedProgram, prepareProgram, valuesEqual } from './harness.js';

/** Languages a process actually runs (TypeScript runs as the JavaScript it transpiles to). */
export type RuntimeLanguage = Exclude<Language, 'TYPESCRIPT'>;

/** Bytes of stdout / stderr kept per test in a result. */
export const KEPT_OUTPUT_BYTES = 8 * 1024;

/** How one program's process ended, as a runner saw it. */
export interface ProgramOutcome {
  /** Exit status when the process exited on its own. */
  exitCode: number | null;
  /** Signal that ended the program, when one did. */
  signal: NodeJS.Signals | null;
  /** Everything read from stdout (at most the output limit). */
  stdout: string;
  stderr: string;
  /** The runner stopped the program at the wall-clock limit. */
  timedOut: boolean;
  /** The runner stopped the program because stdout + stderr passed the output limit. */
  outputExceeded: boolean;
  durationMs: number;
}

/** Runs one prepared program under the limits and reports how it ended. */
export type ProgramRunner = (
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
) => Promise<ProgramOutcome>;

/** Cuts `text` to `bytes` UTF-8 bytes, marking the cut. */
export function truncateOutput(text: string, bytes = KEPT_OUTPUT_BYTES): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  return `${buffer.subarray(0, bytes).toString('utf8')}\n…[truncated ${buffer.length - bytes} bytes]`;
}

/** Collects a child's stdout and stderr up to a shared byte budget. */
export class OutputBudget {
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private used = 0;
  exceeded = false;

  constructor(private readonly limitBytes: number) {}

  /** Adds a chunk; returns false (and keeps only what fits) once the budget is spent. */
  add(stream: 'stdout' | 'stderr', chunk: Buffer): boolean {
    if (this.exceeded) return false;
    const room = this.limitBytes - this.used;
    if (chunk.length > room) {
      this.chunks[stream].push(chunk.subarray(0, Math.max(0, room)));
      this.used = this.limitBytes;
      this.exceeded = true;
      return false;
    }
    this.chunks[stream].push(chunk);
    this.used += chunk.length;
    return true;
  }

  text(stream: 'stdout' | 'stderr'): string {
    return Buffer.concat(this.chunks[stream]).toString('utf8');
  }
}

/** Maps a shell-style status (128 + signal number) to the signal's name. */
export function signalFromStatus(status: number | null): NodeJS.Signals | null {
  if (status === null || status <= 128 || status > 128 + 64) return null;
  const entry = Object.entries(osConstants.signals).find(([, number]) => number === status - 128);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}

type TranspileResult = { ok: true; code: string } | { ok: false; message: string };

/**
 * Type-strips a TypeScript submission to CommonJS. Only syntax errors fail it: like
 * `node --experimental-strip-types`, types are not checked, so a type error is not a compile error.
 */
export async function transpileTypeScript(code: string): Promise<TranspileResult> {
  // Loaded on first use: the compiler is large and only TypeScript submissions need it.
  const ts = (await import('typescript')).default;
  const output = ts.transpileModule(code, {
    fileName: 'main.ts',
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return { ok: true, code: output.outputText };
  const message = ts.formatDiagnostics(errors, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => '',
    getNewLine: () => '\n',
  });
  return { ok: false, message };
}

/**
 * A program that only compiles the submission (read from stdin) and exits 1 with the error:
 * JavaScript through `vm.compileFunction` with CommonJS's wrapper parameters (what
 * `node --check` does for a .cjs file), Python through `compile()` (what `py_compile` does).
 * It runs through the same runner as the tests, so untrusted source is never parsed unsandboxed.
 */
export function syntaxCheckProgram(language: RuntimeLanguage, source: string): PreparedProgram {
  if (language === 'JAVASCRIPT') {
    return {
      fileName: 'check.cjs',
      source: `
const source = require('node:fs').readFileSync(0, 'utf8');
try {
  require('node:vm').compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: 'main.cjs' });
} catch (error) {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\\n');
  process.exit(1);
}
`,
      stdin: source,
      nonce: '',
    };
  }
  return {
    fileName: 'check.py',
    source: `
import sys, traceback
source = sys.stdin.read()
try:
    compile(source, "main.py", "exec")
except (SyntaxError, ValueError) as error:
    sys.stderr.write("".join(traceback.format_exception_only(type(error), error)))
    sys.exit(1)
`,
    stdin: source,
    nonce: '',
  };
}

const MEMORY_PATTERNS: Record<RuntimeLanguage, RegExp> = {
  JAVASCRIPT:
    /JavaScript heap out of memory|Reached heap limit|Array buffer allocation failed|Fatal process out of memory|std::bad_alloc|Cannot allocate memory|ERR_MEMORY_ALLOCATION_FAILED/,
  PYTHON: /\bMemoryError\b|Cannot allocate memory/,
};

/** Reads one test's outcome as a verdict; the returned value is compared with `expected` here. */
export function judgeOutcome(
  index: number,
  language: RuntimeLanguage,
  program: PreparedProgram,
  testCase: TestCase,
  limits: Limits,
  outcome: ProgramOutcome,
): TestRunResult {
  const parsed = parseOutput(outcome.stdout, program.nonce);
  const result = (verdict: Verdict): TestRunResult => ({
    index,
    verdict,
    durationMs: outcome.durationMs,
    stdout: truncateOutput(parsed.stdout),
    stderr: truncateOutput(outcome.stderr),
    actual: parsed.ok ? JSON.stringify(parsed.value) : null,
  });
  if (outcome.outputExceeded) return result('OUTPUT_LIMIT');
  if (outcome.timedOut) return result('TIME_LIMIT');
  const signal = outcome.signal ?? signalFromStatus(outcome.exitCode);
  // RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one if SIGXCPU was ignored.
  if (signal === 'SIGXCPU') return result('TIME_LIMIT');
  if (signal === 'SIGKILL' && outcome.durationMs >= limits.cpuMs) return result('TIME_LIMIT');
  if (signal !== null || outcome.exitCode !== 0) {
    return result(MEMORY_PATTERNS[language].test(outcome.stderr) ? 'MEMORY_LIMIT' : 'RUNTIME_ERROR');
  }
  // Exited cleanly without returning (e.g. called exit inside the function): no answer.
  if (!parsed.ok) return result('FAILED');
  return result(valuesEqual(parsed.value, testCase.expected) ? 'PASSED' : 'FAILED');
}

function compileErrorResults(count: number, message: string): TestRunResult[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    verdict: 'COMPILE_ERROR' as const,
    durationMs: 0,
    stdout: '',
    stderr: truncateOutput(message),
    actual: null,
  }));
}

/**
 * Runs a request through `runner`: compile once (a failure marks every test COMPILE_ERROR
 * without running any), then each test in order, calling `onTest` as each finishes.
 */
export async function runTestCases(
  request: ExecutionRequest,
  runner: ProgramRunner,
  onTest: (result: TestRunResult) => Promise<void> | void,
): Promise<TestRunResult[]> {
  const results: TestRunResult[] = [];
  const report = async (result: TestRunResult): Promise<void> => {
    results.push(result);
    await onTest(result);
  };
  if (request.testCases.length === 0) return results;

  let language: RuntimeLanguage;
  let code = request.code;
  if (request.language === 'TYPESCRIPT') {
    const transpiled = await transpileTypeScript(code);
    if (!transpiled.ok) {
      for (const result of compileErrorResults(request.testCases.length, transpiled.message)) await report(result);
      return results;
    }
    code = transpiled.code;
    language = 'JAVASCRIPT';
  } else {
    language = request.language;
  }

  const programs = request.testCases.map((testCase) => prepareProgram(language, code, request.entrypoint, testCase));
  const first = programs[0];
  if (!first) return results;
  const check = await runner(language, syntaxCheckProgram(language, first.source), request.limits);
  if (check.exitCode !== 0 || check.signal !== null || check.timedOut || check.outputExceeded) {
    const message = check.timedOut
      ? 'Compilation did not finish within the time limit.'
      : check.stderr || `Compilation failed (exit ${String(check.exitCode ?? check.signal)}).`;
    for (const result of compileErrorResults(request.testCases.length, message)) await report(result);
    return results;
  }

  for (const [index, program] of programs.entries()) {
    const testCase = request.testCases[index];
    if (!testCase) continue;
    const outcome = await runner(language, program, request.limits);
    await report(judgeOutcome(index, language, program, testCase, request.limits, outcome));
  }
  return results;
}
