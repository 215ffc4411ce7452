/**
 * Verdicts: right and wrong solutions in JavaScript, Python and TypeScript get their verdicts on
 * every executor (local sandbox, unsafe-local, Piston over real HTTP), and one that cannot run says so.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language, TestCase } from '../api/content/body.js';
import { DEFAULT_LIMITS, SandboxUnavailableError } from '../api/execution/executor.js';
import { createExecutor, probeSandbox } from '../api/execution/index.js';
import type { PistonExecuteRequest } from '../api/execution/piston.js';
import { runUnsafeProgram } from '../api/execution/unsafe-local.js';
import { describeWithBubblewrap } from './support/bubblewrap.js';
import { bubblewrapSandbox, FAST, runOne, twoSum } from './support/execution.js';
import { canRun, itWithPython } from './support/python.js';

const TWO_SUM_TS = `
function twoSum(nums: number[], target: number): [number, number] | [] {
  const seen = new Map<number, number>();
  for (const [j, value] of nums.entries()) {
    const i = seen.get(target - value);
    if (i !== undefined) return [i, j];
    seen.set(value, j);
  }
  return [];
}
`;

const ONE_TEST: TestCase[] = [{ name: 'only', args: [[2, 7, 11, 15], 9], expected: [0, 1], hidden: false }];

describeWithBubblewrap('local sandbox (bubblewrap)', () => {
  const sandbox = bubblewrapSandbox();

  it('passes every seeded two-sum test with the JavaScript, Python and TypeScript solutions, reporting each in order', async () => {
    const solutions: [Language, string][] = [
      ['JAVASCRIPT', twoSum.referenceSolution.JAVASCRIPT ?? ''],
      ['PYTHON', twoSum.referenceSolution.PYTHON ?? ''],
      ['TYPESCRIPT', TWO_SUM_TS],
    ];
    for (const [language, code] of solutions.filter(([language]) => canRun(language))) {
      const seen: number[] = [];
      const results = await sandbox.run(
        { language, code, entrypoint: twoSum.entrypoint, testCases: twoSum.testCases, limits: DEFAULT_LIMITS },
        (result) => {
          seen.push(result.index);
        },
      );
      expect(
        results.map((r) => r.verdict),
        `${language}: ${results.map((r) => r.stderr).join('\n')}`,
      ).toEqual(twoSum.testCases.map(() => 'PASSED'));
      expect(seen).toEqual(twoSum.testCases.map((_, i) => i));
      expect(results[0]?.actual).toBe('[0,1]');
    }
    expect(sandbox.name).toBe('bubblewrap');
  });

  itWithPython('fails a wrong answer and reports what it returned', async () => {
    const results = await sandbox.run(
      {
        language: 'PYTHON',
        code: twoSum.starterCode.PYTHON ?? '',
        entrypoint: twoSum.entrypoint,
        testCases: twoSum.testCases.slice(0, 2),
        limits: DEFAULT_LIMITS,
      },
      () => {},
    );
    expect(results.map((r) => [r.verdict, r.actual])).toEqual([
      ['FAILED', '[]'],
      ['FAILED', '[]'],
    ]);
  });

  it('fails a program that prints "all tests passed" but returns the wrong value', async () => {
    const result = await runOne(
      sandbox,
      'JAVASCRIPT',
      `function solve() { console.log('all tests passed'); console.log('PASSED'); return [9, 9]; }`,
      { expected: [0, 1] },
    );
    expect(result.verdict).toBe('FAILED');
    expect(result.actual).toBe('[9,9]');
    expect(result.stdout).toContain('all tests passed');
  });

  it('marks every test COMPILE_ERROR for a syntax error, without running any', async () => {
    for (const [language, code] of (
      [
        ['JAVASCRIPT', 'function twoSum(nums, target) {\n  return [0, 1;\n}\n'],
        ['PYTHON', 'def twoSum(nums, target)\n    return [0, 1]\n'],
        ['TYPESCRIPT', 'function twoSum(nums: number[], target: number) {\n  return [0, 1;\n}\n'],
      ] as [Language, string][]
    ).filter(([language]) => canRun(language))) {
      const results = await sandbox.run(
        { language, code, entrypoint: 'twoSum', testCases: twoSum.testCases, limits: DEFAULT_LIMITS },
        () => {},
      );
      expect(results).toHaveLength(twoSum.testCases.length);
      expect(new Set(results.map((r) => r.verdict))).toEqual(new Set(['COMPILE_ERROR']));
      expect(results[0]?.stderr, language).toMatch(/main\.(cjs|py|ts)/);
    }
  });
});

describe('local sandbox (none available)', () => {
  it('throws SandboxUnavailableError when no sandbox can run', async () => {
    const options = { bwrapPath: '/nonexistent/bwrap', unsharePath: '/nonexistent/unshare' };
    const broken = createExecutor({}, options);
    await expect(
      broken.run(
        { language: 'JAVASCRIPT', code: 'function solve() {}', entrypoint: 'solve', testCases: ONE_TEST, limits: FAST },
        () => {},
      ),
    ).rejects.toBeInstanceOf(SandboxUnavailableError);
    const probe = await probeSandbox(options);
    expect(probe.mechanism).toBeNull();
    expect(probe.problems.join(' ')).toContain('/nonexistent/bwrap');
  });
});

describe('unsafe-local executor', () => {
  it('runs solutions with the same verdicts, stopping at the wall clock', async () => {
    const unsafe = createExecutor({ EXECUTOR: 'unsafe-local' });
    expect(unsafe.name).toBe('unsafe-local');
    const results = await unsafe.run(
      {
        language: 'JAVASCRIPT',
        code: twoSum.referenceSolution.JAVASCRIPT ?? '',
        entrypoint: twoSum.entrypoint,
        testCases: twoSum.testCases,
        limits: DEFAULT_LIMITS,
      },
      () => {},
    );
    expect(results.map((r) => r.verdict)).toEqual(twoSum.testCases.map(() => 'PASSED'));
    if (canRun('PYTHON')) {
      const loop = await runOne(unsafe, 'PYTHON', 'def solve():\n    while True:\n        pass\n', {
        limits: { wallMs: 800 },
      });
      expect(loop.verdict).toBe('TIME_LIMIT');
    }
  });
});

describe('Piston executor', () => {
  let server: Server;
  let url = '';
  const requests: PistonExecuteRequest[] = [];
  /** Canned answers served before running anything (status, body). */
  const canned: { status: number; body: unknown }[] = [];

  beforeAll(async () => {
    // A stand-in for the remote service: real HTTP, and it really runs the code (unsandboxed).
    server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        void (async () => {
          if (req.method !== 'POST' || req.url !== '/api/v2/execute') {
            res.writeHead(404).end();
            return;
          }
          const body = JSON.parse(raw) as PistonExecuteRequest;
          requests.push(body);
          const answer = canned.shift();
          if (answer) {
            res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
            return;
          }
          const language = body.language === 'javascript' ? 'JAVASCRIPT' : 'PYTHON';
          const [file] = body.files;
          if (!file) throw new Error('no file');
          const outcome = await runUnsafeProgram(
            language,
            { fileName: file.name, source: file.content, stdin: body.stdin, nonce: '' },
            { ...DEFAULT_LIMITS, wallMs: body.run_timeout, memoryBytes: body.run_memory_limit },
          );
          const killed = outcome.timedOut || outcome.outputExceeded;
          const run = {
            stdout: outcome.stdout,
            stderr: outcome.stderr,
            output: outcome.stdout + outcome.stderr,
            code: killed ? null : outcome.exitCode,
            signal: killed ? 'SIGKILL' : outcome.signal,
          };
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ language: body.language, version: '1.0.0', run }));
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  itWithPython('is chosen by PISTON_API_URL and sends one well-formed request running every test', async () => {
    const piston = createExecutor({ PISTON_API_URL: url });
    expect(piston.name).toBe('piston');
    requests.length = 0;
    const results = await piston.run(
      {
        language: 'PYTHON',
        code: twoSum.referenceSolution.PYTHON ?? '',
        entrypoint: twoSum.entrypoint,
        testCases: twoSum.testCases,
        limits: DEFAULT_LIMITS,
      },
      () => {},
    );
    expect(results.map((r) => r.verdict)).toEqual(twoSum.testCases.map(() => 'PASSED'));
    // One request runs every test (the driver compiles the source and calls the function per test).
    expect(requests).toHaveLength(1);
    const test = requests[0];
    expect(test).toMatchObject({
      language: 'python',
      version: '*',
      files: [{ name: 'driver.py', content: expect.stringContaining('_entry') }],
      // Piston reports when the program ends: its timeout is the run's time budget (2 × the CPU limit).
      run_timeout: expect.toSatisfy((ms: number) => ms > 9_000 && ms <= 2 * DEFAULT_LIMITS.cpuMs),
      compile_timeout: expect.any(Number),
      run_memory_limit: DEFAULT_LIMITS.memoryBytes,
    });
    const stdin = JSON.parse(test?.stdin ?? '{}') as { source: string; tests: unknown[] };
    expect(stdin.source).toContain('def twoSum');
    expect(stdin.tests).toEqual(twoSum.testCases.map((testCase) => testCase.args));
  });

  it('maps wrong answers, syntax errors, timeouts, output limits and signals to verdicts', async () => {
    const piston = createExecutor({ EXECUTOR: 'piston', PISTON_API_URL: url });
    const ts = await piston.run(
      { language: 'TYPESCRIPT', code: TWO_SUM_TS, entrypoint: 'twoSum', testCases: ONE_TEST, limits: FAST },
      () => {},
    );
    expect(ts.map((r) => r.verdict)).toEqual(['PASSED']);
    expect(requests.at(-1)?.language).toBe('javascript');

    const wrong = await runOne(piston, 'JAVASCRIPT', 'function solve() { return 41; }', { expected: 42 });
    expect([wrong.verdict, wrong.actual]).toEqual(['FAILED', '41']);
    const syntax = await runOne(piston, 'JAVASCRIPT', 'function solve( { return 1; }');
    expect(syntax.verdict).toBe('COMPILE_ERROR');
    const loop = await runOne(piston, 'JAVASCRIPT', 'function solve() { for (;;) {} }', { limits: { wallMs: 800 } });
    expect(loop.verdict).toBe('TIME_LIMIT');
    if (canRun('PYTHON')) {
      const crash = await runOne(piston, 'PYTHON', 'def solve():\n    raise ValueError("boom")\n');
      expect(crash.verdict).toBe('RUNTIME_ERROR');
      expect(crash.stderr).toContain('boom');
    }

    const stage = (run: Record<string, unknown>) => ({
      status: 200,
      body: { run: { stdout: '', stderr: '', output: '', code: null, signal: null, ...run } },
    });
    canned.push(stage({ status: 'OL', signal: 'SIGKILL', stdout: 'x'.repeat(100) }));
    expect((await runOne(piston, 'JAVASCRIPT', 'function solve() {}')).verdict).toBe('OUTPUT_LIMIT');
    canned.push(stage({ status: 'TO', signal: 'SIGKILL' }));
    expect((await runOne(piston, 'JAVASCRIPT', 'function solve() {}')).verdict).toBe('TIME_LIMIT');
    canned.push(stage({ signal: 'SIGXCPU' }));
    expect((await runOne(piston, 'JAVASCRIPT', 'function solve() {}')).verdict).toBe('TIME_LIMIT');
    canned.push(stage({ code: 134, stderr: 'FATAL ERROR: Reached heap limit Allocation failed' }));
    expect((await runOne(piston, 'JAVASCRIPT', 'function solve() {}')).verdict).toBe('MEMORY_LIMIT');
    // Rate limited once, then served.
    canned.push({ status: 429, body: { message: 'slow down' } });
    expect((await runOne(piston, 'JAVASCRIPT', 'function solve() { return 1; }', { expected: 1 })).verdict).toBe(
      'PASSED',
    );
  });

  it('throws SandboxUnavailableError when Piston keeps failing or rejects the runtime', async () => {
    const piston = createExecutor({ PISTON_API_URL: url });
    canned.push(...Array.from({ length: 3 }, () => ({ status: 503, body: { message: 'down' } })));
    await expect(runOne(piston, 'JAVASCRIPT', 'function solve() {}')).rejects.toBeInstanceOf(SandboxUnavailableError);
    canned.push({ status: 400, body: { message: 'javascript-* runtime is unknown' } });
    await expect(runOne(piston, 'JAVASCRIPT', 'function solve() {}')).rejects.toBeInstanceOf(SandboxUnavailableError);
    const unreachable = createExecutor({ PISTON_API_URL: 'http://127.0.0.1:9' });
    await expect(runOne(unreachable, 'JAVASCRIPT', 'function solve() {}')).rejects.toBeInstanceOf(
      SandboxUnavailableError,
    );
  });
});
