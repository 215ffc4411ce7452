/**
 * Whether Python 3 runs here. Tests that run Python are skipped where it is missing (a machine
 * with only Node and npm, such as the node:20-slim image), and say why; the JavaScript and
 * TypeScript halves of the tests that run several languages still run.
 */
import { spawnSync } from 'node:child_process';
import { expect, it, type TestFunction } from 'vitest';
import type { Language } from '../../api/content/body.js';

const REASON = 'python3 is not installed here (apt-get install python3)';

/**
 * True when `python3` runs. The executors start it by name, through PATH (the sandbox asks it
 * for its real executable, api/execution/sandbox/host.ts; unsafe-local runs it as is), so running it
 * is the check: it also catches a pyenv shim with no interpreter behind it.
 */
export const hasPython = spawnSync('python3', ['-c', ''], { stdio: 'ignore', timeout: 10_000 }).status === 0;

/** `it` for a test that runs Python: where `python3` is missing, it is skipped and the log says why. */
export function itWithPython(name: string, fn: TestFunction, timeout?: number): void {
  if (!hasPython) console.warn(`skipped "${name}": ${REASON}`);
  it.skipIf(!hasPython)(name, fn, timeout);
}

const warned = new Set<string>();

/**
 * Inside a test that runs several languages: whether `language` can run here. Only PYTHON can
 * be missing; where `python3` is, the log says (once per test) that the test's Python part is
 * skipped, and the rest of the test runs.
 */
export function canRun(language: Language): boolean {
  if (language !== 'PYTHON' || hasPython) return true;
  const test = expect.getState().currentTestName ?? 'this test';
  if (!warned.has(test)) {
    warned.add(test);
    console.warn(`skipped the Python part of "${test}": ${REASON}`);
  }
  return false;
}
