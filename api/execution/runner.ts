/**
 * The program-runner port: what runs one prepared program (the sandbox, Piston, the unsafe
 * local runner) is handed, and how it reports the way the program ended.
 */
import { constants as osConstants } from 'node:os';
import type { PreparedProgram, RuntimeLanguage } from './driver.js';
import type { Limits } from './executor.js';
import type { TestRunReader } from './test-run-reader.js';

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

/** Maps a shell-style status (128 + signal number) to the signal's name. */
export function signalFromStatus(status: number | null): NodeJS.Signals | null {
  if (status === null || status <= 128 || status > 128 + 64) return null;
  const entry = Object.entries(osConstants.signals).find(([, number]) => number === status - 128);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}
