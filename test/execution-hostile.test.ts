/**
 * Hostile programs under bubblewrap: each limit (CPU, wall clock, memory, processes, output, file
 * size) stops them with its verdict, the other tests still run, and nothing is left on the host.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import type { Language, TestCase } from '../api/content/body.js';
import { describeWithBubblewrap } from './support/bubblewrap.js';
import { bubblewrapSandbox, FAST, marker, parseActual, processesWith, runOne } from './support/execution.js';
import { canRun, itWithPython } from './support/python.js';

describeWithBubblewrap('local sandbox (bubblewrap)', () => {
  const sandbox = bubblewrapSandbox();

  it('runs the tests in one process, the rest in a new one after a test that ends it, and none after a time-out', async () => {
    const testCase = (n: number, expected: unknown): TestCase => ({
      name: `n=${n}`,
      args: [n],
      expected,
      hidden: false,
    });
    // `calls` counts the calls this process has seen: 1, 2, … within one process, from 1 again in a new one.
    const cases = [
      testCase(1, [1, 1]),
      testCase(2, [2, 2]),
      testCase(-2, null),
      testCase(4, [4, 1]),
      testCase(-1, null),
      testCase(6, [6, 2]),
    ];
    const programs = {
      JAVASCRIPT: `let calls = 0;
function solve(n) {
  calls += 1;
  console.log('printed by test', n);
  if (n === -1) for (;;) {}
  if (n === -2) process.exit(3);
  return [n, calls];
}`,
      PYTHON: `import os
calls = 0
def solve(n):
    global calls
    calls += 1
    print("printed by test", n)
    if n == -1:
        while True:
            pass
    if n == -2:
        os._exit(3)
    return [n, calls]
`,
    } as const;
    const languages = (Object.entries(programs) as [Language, string][]).filter(([language]) => canRun(language));
    for (const [language, code] of languages) {
      const seen: number[] = [];
      const results = await sandbox.run(
        { language, code, entrypoint: 'solve', testCases: cases, limits: { ...FAST, cpuMs: 500, wallMs: 1_500 } },
        (result) => void seen.push(result.index),
      );
      expect(seen, language).toEqual([0, 1, 2, 3, 4, 5]);
      expect(
        results.map((r) => [r.verdict, r.actual]),
        language,
      ).toEqual([
        ['PASSED', '[1,1]'],
        ['PASSED', '[2,2]'],
        ['RUNTIME_ERROR', null],
        ['PASSED', '[4,1]'],
        ['TIME_LIMIT', null],
        // A time-out ends the run: the tests after it are not run.
        ['NOT_RUN', null],
      ]);
      // Each test's output is its own.
      expect(
        results.map((r) => r.stdout.trim()),
        language,
      ).toEqual([1, 2, -2, 4, -1].map((n) => `printed by test ${n}`).concat(''));
      expect(results[5]?.stderr, language).toContain('test 5 reached the time limit');
    }
  });

  it('holds each test to the CPU limit, read from the host, well within the wall clock', async () => {
    const results = await sandbox.run(
      {
        language: 'JAVASCRIPT',
        code: 'function solve(ms) { const until = Date.now() + ms; while (Date.now() < until) {} return ms; }',
        entrypoint: 'solve',
        testCases: [
          { name: 'quick', args: [50], expected: 50, hidden: false },
          { name: 'over the CPU limit', args: [1_500], expected: 1_500, hidden: false },
          { name: 'quick again', args: [50], expected: 50, hidden: false },
        ],
        limits: { ...FAST, cpuMs: 400, wallMs: 5_000 },
      },
      () => {},
    );
    expect(results.map((r) => r.verdict)).toEqual(['PASSED', 'TIME_LIMIT', 'NOT_RUN']);
    // Stopped at the CPU limit, not allowed to run to its end (1.5 s) or to the wall clock.
    expect(results[1]?.durationMs).toBeLessThan(1_200);
  });

  it('stops an infinite loop at the CPU limit and a sleeper at the wall-clock limit (TIME_LIMIT)', async () => {
    const spin = await runOne(sandbox, 'JAVASCRIPT', 'function solve() { for (;;) {} }');
    expect(spin.verdict).toBe('TIME_LIMIT');
    if (canRun('PYTHON')) {
      const spinPy = await runOne(sandbox, 'PYTHON', 'def solve():\n    while True:\n        pass\n');
      expect(spinPy.verdict).toBe('TIME_LIMIT');

      const started = performance.now();
      const sleeper = await runOne(sandbox, 'PYTHON', 'import time\ndef solve():\n    time.sleep(10**6)\n', {
        limits: { wallMs: 1_500 },
      });
      expect(sleeper.verdict).toBe('TIME_LIMIT');
      expect(performance.now() - started).toBeLessThan(5_000);
    }
    const sleeperJs = await runOne(
      sandbox,
      'JAVASCRIPT',
      'function solve() { return new Promise(() => setInterval(() => {}, 1000)); }',
      { limits: { wallMs: 1_500 } },
    );
    expect(sleeperJs.verdict).toBe('TIME_LIMIT');
  });

  it('detects memory bombs in JavaScript (heap and buffers) and Python (MEMORY_LIMIT)', async () => {
    const heap = await runOne(
      sandbox,
      'JAVASCRIPT',
      'function solve() { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); }',
      { limits: { cpuMs: 5_000, wallMs: 8_000 } },
    );
    expect(heap.verdict, heap.stderr).toBe('MEMORY_LIMIT');
    const buffers = await runOne(
      sandbox,
      'JAVASCRIPT',
      'function solve() { const a = []; for (;;) a.push(Buffer.alloc(1e7, 1)); }',
      { limits: { cpuMs: 5_000, wallMs: 8_000 } },
    );
    expect(buffers.verdict, buffers.stderr).toBe('MEMORY_LIMIT');
    if (canRun('PYTHON')) {
      const python = await runOne(
        sandbox,
        'PYTHON',
        'def solve():\n    a = []\n    while True:\n        a.append(bytearray(10**7))\n',
        {
          limits: { cpuMs: 5_000, wallMs: 8_000 },
        },
      );
      expect(python.verdict, python.stderr).toBe('MEMORY_LIMIT');
    }
  });

  it('contains a fork bomb within the process limit and leaves no process behind', async () => {
    if (canRun('PYTHON')) {
      const mark = marker();
      const result = await runOne(
        sandbox,
        'PYTHON',
        `
import os
def solve():
    children = 0
    for _ in range(500):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            os.execv("/usr/bin/sleep", ["${mark}", "600"])
        children += 1
    return children
`,
      );
      expect(result.verdict).toBe('FAILED');
      const children = parseActual(result) as number;
      expect(children).toBeGreaterThan(0);
      expect(children).toBeLessThan(FAST.processes);
      expect(processesWith(mark)).toBe('');
    }

    const jsMark = marker();
    const js = await runOne(
      sandbox,
      'JAVASCRIPT',
      `
async function solve() {
  const { spawn } = require('node:child_process');
  let started = 0;
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const child = spawn('/usr/bin/sleep', ['600'], { argv0: '${jsMark}', stdio: 'ignore', detached: true });
      child.unref();
      child.on('error', () => resolve(false));
      child.on('spawn', () => resolve(true));
    });
    if (!ok) break;
    started++;
  }
  return started;
}
`,
    );
    expect(js.verdict).toBe('FAILED');
    expect(parseActual(js) as number).toBeLessThan(FAST.processes);
    expect(processesWith(jsMark)).toBe('');
  });

  itWithPython('kills a double-forked daemon when the program ends', async () => {
    const mark = marker();
    const result = await runOne(
      sandbox,
      'PYTHON',
      `
import os, time
def solve():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/usr/bin/sleep", ["${mark}", "600"])
        os._exit(0)
    time.sleep(0.3)
    return "detached"
`,
    );
    expect([result.verdict, result.actual]).toEqual(['FAILED', '"detached"']);
    expect(processesWith(mark)).toBe('');
  });

  it('stops huge output (OUTPUT_LIMIT)', async () => {
    const js = await runOne(
      sandbox,
      'JAVASCRIPT',
      "function solve() { for (;;) process.stdout.write('x'.repeat(65536)); }",
    );
    expect(js.verdict).toBe('OUTPUT_LIMIT');
    expect(Buffer.byteLength(js.stdout)).toBeLessThan(9 * 1024);
    if (canRun('PYTHON')) {
      const py = await runOne(
        sandbox,
        'PYTHON',
        "import sys\ndef solve():\n    while True:\n        sys.stderr.write('y' * 65536)\n",
      );
      expect(py.verdict).toBe('OUTPUT_LIMIT');
    }
  });

  it('refuses a huge file and leaves no file on the host', async () => {
    const name = `${marker()}.bin`;
    if (canRun('PYTHON')) {
      const py = await runOne(
        sandbox,
        'PYTHON',
        `
def solve():
    with open("${name}", "wb") as f:
        for _ in range(100):
            f.write(b"z" * 1024 * 1024)
    return "written"
`,
      );
      expect(py.verdict).toBe('RUNTIME_ERROR');
      expect(py.stderr).toMatch(/File too large|EFBIG|Errno 27/);
    }
    const js = await runOne(
      sandbox,
      'JAVASCRIPT',
      `function solve() { require('node:fs').writeFileSync('/tmp/${name}', Buffer.alloc(100 * 1024 * 1024)); return 'written'; }`,
    );
    expect(js.verdict).toBe('RUNTIME_ERROR');
    expect(existsSync(`/sandbox/${name}`)).toBe(false);
    expect(readdirSync(tmpdir()).filter((entry) => entry.includes(name))).toEqual([]);
    expect(readdirSync(process.cwd()).filter((entry) => entry.includes(name))).toEqual([]);
  });
});
