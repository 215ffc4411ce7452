/**
 * What every executor shares: turning a request into one program that runs its tests in
 * order (TypeScript transpiled once), reading each test's record as it arrives, and reading a
 * process outcome as a verdict. The value a program returned is compared here, outside
 * whatever ran it. One process runs every test; a test that ends it (a limit, a crash, an
 * exit) is judged from how it ended, and the tests after it run in a new process.
 */
import { StringDecoder } from 'node:string_decoder';
import { constants as osConstants } from 'node:os';
import type { Language, TestCase } from '../content/body.js';
import type { ExecutionRequest, Limits, TestRunResult, Verdict } from './executor.js';
import { type LoadRecord, type PreparedProgram, prepareTestRun, type TestRecord, valuesEqual } from './harness.js';

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

/**
 * Runs one prepared program under the limits and reports how it ended. A runner that reads
 * output as it arrives hands each chunk to `reader`; when a chunk completes a test, the
 * wall-clock and output limits start again for the next test. A runner that cannot (Piston)
 * leaves the reader alone, and the whole output is read when the program has ended.
 */
export type ProgramRunner = (
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
  reader?: TestRunReader,
) => Promise<ProgramOutcome>;

/** A finished test as its program reported it: its record and what it printed meanwhile. */
export interface TestSegment {
  record: TestRecord;
  stdout: string;
  stderr: string;
}

/**
 * Reads a test run's stdout and stderr as they arrive and cuts them at the driver's marks:
 * a test is finished once its record (stdout) and its mark (stderr) have both been read.
 */
export class TestRunReader {
  private readonly text = { stdout: '', stderr: '' };
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly records: { record: TestRecord | LoadRecord; stdout: string }[] = [];
  private readonly marks: string[] = [];
  /** Tests finished so far, in order. */
  readonly finished: TestSegment[] = [];
  /** Set when the source did not load (no test ran). */
  load: (LoadRecord & { stderr: string }) | null = null;
  /** When the last test finished (or the reader was made): the next test's clock. */
  lastAt = performance.now();
  /** Whether a runner has handed any output over. */
  used = false;

  constructor(
    private readonly nonce: string,
    private readonly onTest: (segment: TestSegment) => void = () => {},
  ) {}

  /** Takes a chunk; true when it finished a test (the runner restarts its per-test limits). */
  push(stream: 'stdout' | 'stderr', chunk: Buffer): boolean {
    this.used = true;
    this.text[stream] += this.decoders[stream].write(chunk);
    const mark = `\n${this.nonce}`;
    for (let at = this.text[stream].indexOf(mark); at >= 0; at = this.text[stream].indexOf(mark)) {
      const end = this.text[stream].indexOf('\n', at + mark.length);
      if (end < 0) break;
      const before = this.text[stream].slice(0, at);
      const line = this.text[stream].slice(at + mark.length, end);
      this.text[stream] = this.text[stream].slice(end + 1);
      if (stream === 'stderr') this.marks.push(before);
      else this.records.push({ record: parseRecord(line), stdout: before });
    }
    const before = this.finished.length;
    while (this.finished.length + (this.load ? 1 : 0) < Math.min(this.records.length, this.marks.length)) {
      const next = this.finished.length;
      const { record, stdout } = this.records[next] as { record: TestRecord | LoadRecord; stdout: string };
      const stderr = this.marks[next] ?? '';
      if ('load' in record) {
        this.load = { ...record, stderr };
        break;
      }
      const segment = { record, stdout, stderr };
      this.finished.push(segment);
      this.lastAt = performance.now();
      this.onTest(segment);
    }
    return this.finished.length > before;
  }

  /** What was printed after the last finished test (by the test that was running when the program ended). */
  rest(): { stdout: string; stderr: string } {
    const pending = (stream: 'stdout' | 'stderr', done: number, cut: string[]) =>
      cut.slice(done).join('') + this.text[stream] + this.decoders[stream].end();
    return {
      stdout: pending(
        'stdout',
        this.finished.length,
        this.records.map((r) => r.stdout),
      ),
      stderr: pending('stderr', this.finished.length, this.marks),
    };
  }
}

/** A record line the driver wrote; anything else reads as a test whose answer is lost. */
function parseRecord(line: string): TestRecord | LoadRecord {
  try {
    const parsed = JSON.parse(line) as TestRecord | LoadRecord;
    if (parsed && typeof parsed === 'object') return parsed;
  } catch {
    // fall through
  }
  return { i: -1, ok: false, cpuMs: 0, ms: 0 };
}

/** Cuts `text` to `bytes` UTF-8 bytes, marking the cut. */
export function truncateOutput(text: string, bytes = KEPT_OUTPUT_BYTES): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  return `${buffer.subarray(0, bytes).toString('utf8')}\n…[truncated ${buffer.length - bytes} bytes]`;
}

/** Collects a child's stdout and stderr up to a shared byte budget. */
class OutputBudget {
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

/**
 * What a runner keeps of a running program: its stdout and stderr up to the output limit, and
 * its wall clock. When `reader` cuts the output into tests, both limits start again at each
 * finished test. `kill` stops the program when a limit is reached.
 */
export class ProgramWatch {
  timedOut = false;
  outputExceeded = false;
  private budget: OutputBudget;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly limits: Limits,
    private readonly kill: () => void,
    private readonly reader?: TestRunReader,
  ) {
    this.budget = new OutputBudget(limits.outputBytes);
    this.timer = setTimeout(() => this.expire(), limits.wallMs);
  }

  private expire(): void {
    this.timedOut = true;
    this.kill();
  }

  /** Takes a chunk of the program's output as it arrives. */
  take(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.reader?.push(stream, chunk)) {
      // A test finished: the next one gets the whole wall-clock and output allowance.
      this.budget = new OutputBudget(this.limits.outputBytes);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.expire(), this.limits.wallMs);
    }
    if (!this.budget.add(stream, chunk) && !this.outputExceeded) {
      this.outputExceeded = true;
      this.kill();
    }
  }

  /** What was kept of a stream (since the last finished test). */
  text(stream: 'stdout' | 'stderr'): string {
    return this.budget.text(stream);
  }

  /** The program ended: stops the clock. */
  stop(): void {
    clearTimeout(this.timer);
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
  return result('FAILED');
}

/**
 * Runs a request through `runner`: one program for all the tests, each test reported through
 * `onTest` as it finishes. A source that does not compile marks every test COMPILE_ERROR (one
 * that throws while loading, RUNTIME_ERROR). A test that ends the program is judged from how
 * it ended, and the tests after it run in a new program. The CPU limit binds each test (from
 * its own measured CPU time, and the process's RLIMIT_CPU is the limit times the tests left);
 * the wall-clock and output limits start again at each test for runners that stream.
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

  let language: RuntimeLanguage;
  let code = request.code;
  if (request.language === 'TYPESCRIPT') {
    const transpiled = await transpileTypeScript(code);
    if (!transpiled.ok) {
      for (const [index] of testCases.entries()) report(loadFailure(index, 'COMPILE_ERROR', transpiled.message));
      await reporting;
      return results;
    }
    code = transpiled.code;
    language = 'JAVASCRIPT';
  } else {
    language = request.language;
  }

  for (let from = 0; from < testCases.length;) {
    const run = testCases.slice(from);
    const program = prepareTestRun(language, code, request.entrypoint, run);
    const first = from;
    const judge = (segment: TestSegment) => {
      const index = first + segment.record.i;
      const testCase = testCases[index];
      if (testCase) report(judgeSegment(index, language, testCase, limits, segment));
    };
    const reader = new TestRunReader(program.nonce, judge);
    const outcome = await runner(language, program, { ...limits, cpuMs: limits.cpuMs * run.length }, reader);
    if (!reader.used) {
      // The runner could not stream: read its whole output now.
      reader.push('stderr', Buffer.from(outcome.stderr));
      reader.push('stdout', Buffer.from(outcome.stdout));
    }
    await reporting;
    if (reader.load) {
      const message = reader.load.stderr || 'The program did not load.';
      for (let index = from; index < testCases.length; index += 1)
        report(loadFailure(index, reader.load.load, message));
      break;
    }
    from += reader.finished.length;
    if (from >= testCases.length) break;
    const rest = reader.rest();
    const elapsed = reader.used ? performance.now() - reader.lastAt : outcome.durationMs;
    report(
      judgeOutcome(from, language, limits, { ...outcome, ...rest, durationMs: Math.min(elapsed, outcome.durationMs) }),
    );
    from += 1;
  }
  await reporting;
  return results;
}

function loadFailure(index: number, verdict: LoadRecord['load'], message: string): TestRunResult {
  return { index, verdict, durationMs: 0, stdout: '', stderr: truncateOutput(message), actual: null };
}
