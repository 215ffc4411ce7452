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
import { procAvailable, ProcessTreeMeter } from './meter.js';

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
  /** The runner stopped the program because the running test (or the loading) used up its CPU time. */
  cpuExceeded: boolean;
  /** The runner stopped the program because the run's time budget was spent. */
  budgetSpent: boolean;
  /** Peak resident memory of the running test's process, in KiB; null when the runner cannot measure it. */
  memoryKb: number | null;
  durationMs: number;
}

/** What a runner that streams is handed besides the program: the reader, and when the run's budget ends. */
export interface RunControl {
  reader: TestRunReader;
  /** `performance.now()` time at which the run's time budget is spent. */
  deadline: number;
}

/**
 * Runs one prepared program under the limits and reports how it ended. A runner that reads
 * output as it arrives hands each chunk to `control.reader` (through a ProgramWatch); when a
 * chunk completes the loading or a test, the CPU, wall-clock and output limits start again for
 * the next test. A runner that cannot (Piston) leaves the reader alone, and the whole output is
 * read when the program has ended; it keeps within the deadline as best it can.
 */
export type ProgramRunner = (
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
  control?: RunControl,
) => Promise<ProgramOutcome>;

/** A finished test as its program reported it: its record and what it printed meanwhile. */
export interface TestSegment {
  record: TestRecord;
  stdout: string;
  stderr: string;
}

/**
 * Reads a test run's stdout and stderr as they arrive and cuts them at the driver's marks. The
 * first record says whether the source loaded; each later one finishes a test. A record counts
 * once both it (stdout) and its mark (stderr) have been read.
 */
export class TestRunReader {
  private readonly text = { stdout: '', stderr: '' };
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly records: { line: string; stdout: string }[] = [];
  private readonly marks: string[] = [];
  /** Records read with their marks (the load record included). */
  private paired = 0;
  /** Tests finished so far, in order. */
  readonly finished: TestSegment[] = [];
  /** How loading went, once the driver said (`OK`, or why no test ran), with what it printed. */
  load: (LoadRecord & { stderr: string }) | null = null;
  /** When the loading or the last test finished (or the reader was made): the next test's clock. */
  lastAt = performance.now();
  /** Whether a runner has handed any output over. */
  used = false;

  constructor(
    private readonly nonce: string,
    private readonly onTest: (segment: TestSegment) => void = () => {},
  ) {}

  /** The source loaded: the tests are running. */
  get loaded(): boolean {
    return this.load?.load === 'OK';
  }

  /** Takes a chunk; true when it finished the loading or a test (the runner restarts its per-test limits). */
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
      else this.records.push({ line, stdout: before });
    }
    let advanced = false;
    while (this.paired < Math.min(this.records.length, this.marks.length) && (!this.load || this.loaded)) {
      const { line, stdout } = this.records[this.paired] as { line: string; stdout: string };
      const stderr = this.marks[this.paired] ?? '';
      this.paired += 1;
      this.lastAt = performance.now();
      advanced = true;
      if (!this.load) {
        this.load = { ...parseLoadRecord(line), stderr };
        continue;
      }
      const segment = { record: parseTestRecord(line), stdout, stderr };
      this.finished.push(segment);
      this.onTest(segment);
    }
    return advanced;
  }

  /** What was printed after the last finished record (by the test that was running when the program ended). */
  rest(): { stdout: string; stderr: string } {
    const pending = (stream: 'stdout' | 'stderr', cut: string[]) =>
      cut.slice(this.paired).join('') + this.text[stream] + this.decoders[stream].end();
    return {
      stdout: pending(
        'stdout',
        this.records.map((r) => r.stdout),
      ),
      stderr: pending('stderr', this.marks),
    };
  }
}

/** The driver's first record; anything else reads as a source that did not load. */
function parseLoadRecord(line: string): LoadRecord {
  try {
    const parsed = JSON.parse(line) as Partial<LoadRecord> | null;
    if (parsed?.load === 'OK' || parsed?.load === 'COMPILE_ERROR' || parsed?.load === 'RUNTIME_ERROR') {
      return { load: parsed.load };
    }
  } catch {
    // fall through
  }
  return { load: 'RUNTIME_ERROR' };
}

/** A test record the driver wrote; anything else reads as a test whose answer is lost. */
function parseTestRecord(line: string): TestRecord {
  try {
    const parsed = JSON.parse(line) as TestRecord | null;
    if (parsed && typeof parsed === 'object' && typeof parsed.i === 'number') return parsed;
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

/** How often a running program's CPU time and memory are read from the host. */
const METER_INTERVAL_MS = 100;

/**
 * What a runner keeps of a running program: its stdout and stderr up to the output limit, its
 * wall clock, and (once `attach`ed to its pid) its CPU time and peak memory read from the host.
 * When the reader cuts the output into tests, every limit starts again at each finished test
 * (and once the source has loaded). `kill` stops the program when a limit is reached, or when
 * the run's time budget (the deadline) is spent.
 */
export class ProgramWatch {
  timedOut = false;
  outputExceeded = false;
  cpuExceeded = false;
  budgetSpent = false;
  private budget: OutputBudget;
  private timer: NodeJS.Timeout;
  private readonly deadlineTimer: NodeJS.Timeout | undefined;
  private meter: ProcessTreeMeter | null = null;
  private meterTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: Limits,
    private readonly kill: () => void,
    private readonly control?: RunControl,
  ) {
    this.budget = new OutputBudget(limits.outputBytes);
    this.timer = setTimeout(() => this.stopFor('timedOut'), limits.wallMs);
    if (control) {
      this.deadlineTimer = setTimeout(
        () => this.stopFor('budgetSpent'),
        Math.max(0, control.deadline - performance.now()),
      );
    }
  }

  private stopFor(reason: 'timedOut' | 'budgetSpent' | 'cpuExceeded' | 'outputExceeded'): void {
    if (this.timedOut || this.budgetSpent || this.cpuExceeded || this.outputExceeded) return;
    this[reason] = true;
    this.kill();
  }

  /** Starts reading the program's CPU time and memory from the host: the CPU limit binds each test. */
  attach(pid: number | undefined): void {
    if (pid === undefined || !procAvailable) return;
    this.meter = new ProcessTreeMeter(pid);
    this.meterTimer = setInterval(() => this.measure(), METER_INTERVAL_MS);
  }

  private measure(): void {
    if (!this.meter) return;
    if (this.meter.cpuMs() > this.limits.cpuMs) this.stopFor('cpuExceeded');
  }

  /** Takes a chunk of the program's output as it arrives. */
  take(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.control?.reader.push(stream, chunk)) {
      // The loading or a test finished: the next test gets the whole allowance of each limit.
      this.budget = new OutputBudget(this.limits.outputBytes);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.stopFor('timedOut'), this.limits.wallMs);
      this.meter?.restart();
    }
    if (!this.budget.add(stream, chunk)) this.stopFor('outputExceeded');
  }

  /** The program ended: stops the clocks, and returns what was kept of it. */
  stop(): Pick<
    ProgramOutcome,
    'stdout' | 'stderr' | 'timedOut' | 'outputExceeded' | 'cpuExceeded' | 'budgetSpent' | 'memoryKb'
  > {
    clearTimeout(this.timer);
    clearTimeout(this.deadlineTimer);
    clearInterval(this.meterTimer);
    return {
      stdout: this.budget.text('stdout'),
      stderr: this.budget.text('stderr'),
      timedOut: this.timedOut,
      outputExceeded: this.outputExceeded,
      cpuExceeded: this.cpuExceeded,
      budgetSpent: this.budgetSpent,
      // The last sample's: the process is gone by now.
      memoryKb: this.meter?.peakKb ?? null,
    };
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

/** A test's result when it did not run (its source did not compile or load, or the run ended first). */
function resultWithoutRun(index: number, verdict: Verdict, message: string): TestRunResult {
  return { index, verdict, durationMs: 0, stdout: '', stderr: truncateOutput(message), actual: null, memoryKb: null };
}
