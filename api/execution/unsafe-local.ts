/**
 * Runs programs as plain child processes of the server: CPU (read from the host), wall-clock and
 * output limits and V8's heap cap, and NO isolation (the program sees the server's files and
 * network). Chosen only by EXECUTOR=unsafe-local, for development machines without
 * namespaces; never a silent fallback.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreparedProgram, RuntimeLanguage } from './driver.js';
import type { ExecutionRequest, Executor, Limits, TestRunResult } from './executor.js';
import { ProgramWatch } from './program-watch.js';
import { runTestCases } from './run-tests.js';
import type { ProgramOutcome, RunControl } from './runner.js';

function command(language: RuntimeLanguage, file: string, limits: Limits): [string, string[]] {
  if (language === 'JAVASCRIPT') {
    return [process.execPath, [`--max-old-space-size=${Math.max(8, Math.floor(limits.memoryBytes / 1048576))}`, file]];
  }
  return ['python3', ['-I', '-B', file]];
}

/** Runs one program unsandboxed in a temporary directory (removed afterwards). */
export async function runUnsafeProgram(
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
  control?: RunControl,
): Promise<ProgramOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'practice-unsafe-'));
  try {
    const file = join(dir, program.fileName);
    await writeFile(file, program.source);
    const [executable, args] = command(language, file, limits);
    const started = performance.now();
    // Detached: its own process group, so a timeout kills what it started too.
    const child = spawn(executable, args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const watch = new ProgramWatch(limits, kill, control);
    watch.attach(child.pid);
    child.stdout.on('data', (chunk: Buffer) => watch.take('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => watch.take('stderr', chunk));
    child.stdin.on('error', () => {});
    child.stdin.end(program.stdin);
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
    });
    try {
      const { code, signal } = await ended;
      return { ...watch.stop(), exitCode: code, signal, durationMs: performance.now() - started };
    } finally {
      watch.stop();
      kill();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The unsandboxed executor: same verdicts as the sandbox, no isolation. */
export function createUnsafeLocalExecutor(): Executor {
  return {
    name: 'unsafe-local',
    run: (request: ExecutionRequest, onTest: (result: TestRunResult) => Promise<void> | void) =>
      runTestCases(request, runUnsafeProgram, onTest),
  };
}
