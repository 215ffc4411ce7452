/**
 * Turns a student's function into a runnable program for one test case, and reads the
 * verdict back. The program prints its return value after a per-run nonce; the value is
 * compared here, outside the program, so printing "all tests passed" gains nothing.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Language, TestCase } from '../content/body.js';

/** A program ready to hand to an executor: a file name, its source and its stdin. */
export interface PreparedProgram {
  fileName: string;
  source: string;
  stdin: string;
  nonce: string;
}

const drivers: Record<Exclude<Language, 'TYPESCRIPT'>, { fileName: string; driver: (entry: string) => string }> = {
  JAVASCRIPT: {
    fileName: 'main.cjs',
    driver: (entry) => `
;(async () => {
  const __input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const __result = await ${entry}(...__input.args);
  process.stdout.write('\\n' + __input.nonce + JSON.stringify(__result === undefined ? null : __result) + '\\n');
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\\n');
  process.exit(1);
});
`,
  },
  PYTHON: {
    fileName: 'main.py',
    driver: (entry) => `

import sys as __sys, json as __json
__input = __json.loads(__sys.stdin.read())
__result = ${entry}(*__input["args"])
__sys.stdout.write("\\n" + __input["nonce"] + __json.dumps(__result) + "\\n")
`,
  },
};

/** Builds the program that calls `entrypoint` with one test case's arguments. */
export function prepareProgram(
  language: Language,
  code: string,
  entrypoint: string,
  testCase: TestCase,
): PreparedProgram {
  if (language === 'TYPESCRIPT') throw new Error('TypeScript programs are prepared by the evaluation engine');
  const { fileName, driver } = drivers[language];
  const nonce = `@@result:${randomBytes(12).toString('hex')}@@`;
  return {
    fileName,
    source: code + driver(entrypoint),
    stdin: JSON.stringify({ args: testCase.args, nonce }),
    nonce,
  };
}

/** What the program returned, split from whatever else it printed. */
export type ParsedOutput = { ok: true; value: unknown; stdout: string } | { ok: false; stdout: string };

/** Extracts the return value printed after the nonce (the last occurrence wins). */
export function parseOutput(stdout: string, nonce: string): ParsedOutput {
  const at = stdout.lastIndexOf(`\n${nonce}`);
  if (at < 0) return { ok: false, stdout };
  const line = stdout.slice(at + 1 + nonce.length).split('\n', 1)[0] ?? '';
  try {
    return { ok: true, value: JSON.parse(line), stdout: stdout.slice(0, at) };
  } catch {
    return { ok: false, stdout };
  }
}

/** Deep JSON equality; numbers compare with a small relative tolerance. */
export function valuesEqual(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Number.isInteger(actual) && Number.isInteger(expected)) return actual === expected;
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((value, i) => valuesEqual(value, expected[i]));
  }
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    if (Array.isArray(actual) || Array.isArray(expected)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(e);
    return Object.keys(a).length === keys.length && keys.every((key) => key in a && valuesEqual(a[key], e[key]));
  }
  return isDeepStrictEqual(actual, expected);
}
