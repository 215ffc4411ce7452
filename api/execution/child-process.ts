/**
 * Runs a prepared program in a plain child process, with a wall-clock limit and no
 * isolation. Only for trusted code (the seed's own solutions); student code goes through
 * the sandboxed executor.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Language } from '../content/body.js';
import type { PreparedProgram } from './harness.js';

/** The outcome of one process run. */
export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

const commands: Record<Exclude<Language, 'TYPESCRIPT'>, (file: string) => [string, string[]]> = {
  JAVASCRIPT: (file) => [process.execPath, [file]],
  PYTHON: (file) => ['python3', ['-I', file]],
};

/** Runs `program` with a wall-clock limit; the scratch directory is removed afterwards. */
export async function runTrustedProgram(
  language: Language,
  program: PreparedProgram,
  timeoutMs = 10_000,
): Promise<ProcessResult> {
  if (language === 'TYPESCRIPT') throw new Error('TypeScript is not run by the trusted runner');
  const dir = await mkdtemp(join(tmpdir(), 'practice-run-'));
  try {
    const file = join(dir, program.fileName);
    await writeFile(file, program.source);
    const [command, args] = commands[language](file);
    const started = performance.now();
    return await new Promise<ProcessResult>((resolve, reject) => {
      const child = spawn(command, args, { cwd: dir, env: { PATH: process.env.PATH ?? '' }, timeout: timeoutMs });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (exitCode, signal) => {
        resolve({
          exitCode,
          stdout,
          stderr,
          timedOut: signal === 'SIGTERM' && exitCode === null,
          durationMs: performance.now() - started,
        });
      });
      child.stdin.end(program.stdin);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
