/**
 * What the execution tests share: small limits, the seeded two-sum problem, a one-test run,
 * and the bubblewrap executor checked to be what really runs.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { beforeAll, expect } from 'vitest';
import type { Language } from '../../api/content/body.js';
import type { Executor, Limits, TestRunResult } from '../../api/execution/executor.js';
import { createExecutor, probeSandbox } from '../../api/execution/index.js';
import { seedItems } from '../../prisma/seed/content/index.js';
import { hasPython } from './python.js';

/** Limits small enough that a hostile program is stopped in about a second. */
export const FAST: Limits = {
  cpuMs: 1_000,
  wallMs: 3_000,
  memoryBytes: 128 * 1024 * 1024,
  processes: 32,
  outputBytes: 64 * 1024,
  fileBytes: 1024 * 1024,
};

/** The seeded two-sum problem's body: its tests, starter code and reference solutions. */
export const twoSum = (() => {
  const item = seedItems.find((candidate) => candidate.slug === 'two-sum');
  if (!item || item.body.kind !== 'CODING') throw new Error('two-sum is not seeded');
  return item.body;
})();

/** A name no other process has: a program started under it can be looked for on the host. */
export function marker(): string {
  return `practice-marker-${randomUUID()}`;
}

/** Processes on the host whose command line carries `mark`. */
export function processesWith(mark: string): string {
  const found = spawnSync('pgrep', ['-a', '-f', mark], { encoding: 'utf8' });
  return found.stdout.trim();
}

/** Runs `code` on one test (entrypoint `solve`, no arguments, expecting null unless told) within FAST limits. */
export async function runOne(
  executor: Executor,
  language: Language,
  code: string,
  options: {
    entrypoint?: string;
    args?: unknown[];
    expected?: unknown;
    limits?: Partial<Limits>;
    runBudgetMs?: number;
  } = {},
): Promise<TestRunResult> {
  const [result] = await executor.run(
    {
      language,
      code,
      entrypoint: options.entrypoint ?? 'solve',
      testCases: [{ name: 't', args: options.args ?? [], expected: options.expected ?? null, hidden: false }],
      limits: { ...FAST, ...options.limits },
      runBudgetMs: options.runBudgetMs,
    },
    () => {},
  );
  if (!result) throw new Error('no result');
  return result;
}

/** The value the test returned, parsed; fails the test (showing its verdict and stderr) when there is none. */
export function parseActual(result: TestRunResult): unknown {
  expect(result.actual, `${result.verdict}: ${result.stderr}`).not.toBeNull();
  return JSON.parse(result.actual ?? 'null');
}

/**
 * The local sandbox's executor, inside a `describeWithBubblewrap` suite. Its `beforeAll` checks
 * that bubblewrap, not the fallback, is what runs, with every language this machine has.
 */
export function bubblewrapSandbox(): Executor {
  beforeAll(async () => {
    const probe = await probeSandbox();
    expect(probe.mechanism, probe.problems.join('; ')).toBe('bubblewrap');
    expect(probe.languages.sort()).toEqual(hasPython ? ['JAVASCRIPT', 'PYTHON'] : ['JAVASCRIPT']);
  });
  return createExecutor({});
}
