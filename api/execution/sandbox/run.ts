/**
 * Runs one program in a fresh container of the plan's mechanism, under a ProgramWatch, and
 * tells a container that failed to start (the sandbox is unavailable) from a program that ended.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { PreparedProgram, RuntimeLanguage } from '../driver.js';
import { type Limits, SandboxUnavailableError } from '../executor.js';
import { ProgramWatch } from '../program-watch.js';
import { type ProgramOutcome, type RunControl, signalFromStatus } from '../runner.js';
import { HOST_PATH } from './host.js';
import type { SandboxPlan } from './mechanism.js';

/** Kills the whole process group of a detached child (the container's outer process). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  try {
    child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs one program in a container built by `plan`; throws SandboxUnavailableError if the container fails to start. */
export async function runInSandbox(
  plan: SandboxPlan,
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
  control?: RunControl,
): Promise<ProgramOutcome> {
  const runtime = plan.runtimes[language];
  if (!runtime) throw new SandboxUnavailableError(`No ${language} runtime is available in the sandbox`);
  const [command, ...args] = plan.mechanism.command(plan, runtime, language, program, limits);
  if (!command) throw new SandboxUnavailableError('empty sandbox command');

  const started = performance.now();
  const child = spawn(command, args, {
    cwd: '/',
    env: { PATH: HOST_PATH, LANG: 'C.UTF-8' },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
  });
  let status = '';
  const [stdin, stdout, stderr, source, statusStream] = child.stdio as [
    Writable,
    Readable,
    Readable,
    Writable,
    Readable,
  ];
  const watch = new ProgramWatch(limits, () => killTree(child), control);
  watch.attach(child.pid);
  stdout.on('data', (chunk: Buffer) => watch.take('stdout', chunk));
  stderr.on('data', (chunk: Buffer) => watch.take('stderr', chunk));
  statusStream.setEncoding('utf8').on('data', (chunk: string) => {
    if (status.length < 4096) status += chunk;
  });
  for (const stream of [stdin, source, statusStream, stdout, stderr]) stream.on('error', () => {});
  source.end(program.source);
  stdin.end(program.stdin);

  const { code, signal, error } = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    error?: Error;
  }>((resolve) => {
    child.on('error', (spawnError) => resolve({ code: null, signal: null, error: spawnError }));
    child.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  const kept = watch.stop();
  if (error)
    throw new SandboxUnavailableError(`The ${plan.mechanism.name} sandbox could not be started: ${error.message}`);
  const durationMs = performance.now() - started;

  const programStarted = plan.mechanism.started(status);
  if (!programStarted && !kept.timedOut && !kept.outputExceeded && !kept.cpuExceeded && !kept.budgetSpent) {
    throw new SandboxUnavailableError(
      `The ${plan.mechanism.name} sandbox failed to start (exit ${String(code ?? signal)}): ${kept.stderr.slice(0, 500)}`,
    );
  }
  return { ...kept, exitCode: code, signal: signal ?? signalFromStatus(code), durationMs };
}
