/**
 * The limits a runner that streams enforces while its program runs: the output budget, the
 * wall clock, the CPU time read from the host, and the run's deadline, restarted per test.
 */
import type { Limits } from './executor.js';
import { procAvailable, ProcessTreeMeter } from './meter.js';
import type { ProgramOutcome, RunControl } from './runner.js';

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
