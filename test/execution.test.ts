/**
 * Code execution: correct and wrong solutions get the right verdicts, and hostile programs
 * are contained by the local sandbox (bubblewrap, and the unshare fallback) — each gets a
 * verdict and leaves nothing behind. Piston is exercised over real HTTP against a local
 * stand-in that runs the code.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language, TestCase } from '../api/content/body.js';
import {
  DEFAULT_LIMITS,
  type Executor,
  type Limits,
  SandboxUnavailableError,
  type TestRunResult,
} from '../api/execution/executor.js';
import { createExecutor, probeSandbox } from '../api/execution/index.js';
import type { PistonExecuteRequest } from '../api/execution/piston.js';
import { runUnsafeProgram } from '../api/execution/unsafe-local.js';
import { seedItems } from '../prisma/seed/content/index.js';
import { describeWithBubblewrap } from './support/bubblewrap.js';
import { canRun, hasPython, itWithPython } from './support/python.js';

const FAST: Limits = {
  cpuMs: 1_000,
  wallMs: 3_000,
  memoryBytes: 128 * 1024 * 1024,
  processes: 32,
  outputBytes: 64 * 1024,
  fileBytes: 1024 * 1024,
};

const twoSum = (() => {
  const item = seedItems.find((candidate) => candidate.slug === 'two-sum');
  if (!item || item.body.kind !== 'CODING') throw new Error('two-sum is not seeded');
  return item.body;
})();

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

function marker(): string {
  return `practice-marker-${randomUUID()}`;
}

/** Processes on the host whose command line carries `mark`. */
function processesWith(mark: string): string {
  const found = spawnSync('pgrep', ['-a', '-f', mark], { encoding: 'utf8' });
  return found.stdout.trim();
}

async function runOne(
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

function parseActual(result: TestRunResult): unknown {
  expect(result.actual, `${result.verdict}: ${result.stderr}`).not.toBeNull();
  return JSON.parse(result.actual ?? 'null');
}

const SECRET_NAME = 'PRACTICE_TEST_SECRET_TOKEN';
const SECRET_VALUE = `secret-${randomUUID()}`;

describeWithBubblewrap('local sandbox (bubblewrap)', () => {
  const sandbox = createExecutor({});

  beforeAll(async () => {
    process.env[SECRET_NAME] = SECRET_VALUE;
    const probe = await probeSandbox();
    expect(probe.mechanism, probe.problems.join('; ')).toBe('bubblewrap');
    expect(probe.languages.sort()).toEqual(hasPython ? ['JAVASCRIPT', 'PYTHON'] : ['JAVASCRIPT']);
  });
  afterAll(() => {
    delete process.env[SECRET_NAME];
  });

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

  describe('network', () => {
    let listener: TcpServer;
    let port = 0;
    beforeAll(async () => {
      listener = createTcpServer((socket) => socket.end('hello'));
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      port = (listener.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

    it('cannot reach PostgreSQL, Redis, a listening host port or DNS', async () => {
      if (canRun('PYTHON')) {
        const python = await runOne(
          sandbox,
          'PYTHON',
          `
import socket
def solve(port):
    outcome = {}
    for p in (5432, 6379, port):
        try:
            socket.create_connection(("127.0.0.1", p), timeout=1).close()
            outcome[str(p)] = "connected"
        except OSError as error:
            outcome[str(p)] = "blocked: " + str(error)
    try:
        socket.getaddrinfo("example.com", 80)
        outcome["dns"] = "resolved"
    except OSError as error:
        outcome["dns"] = "blocked: " + str(error)
    return outcome
`,
          { args: [port] },
        );
        const outcome = parseActual(python) as Record<string, string>;
        expect(Object.keys(outcome).sort()).toEqual(['5432', '6379', String(port), 'dns'].sort());
        for (const value of Object.values(outcome)) expect(value).toMatch(/^blocked/);
      }

      const js = await runOne(
        sandbox,
        'JAVASCRIPT',
        `
async function solve(port) {
  const net = require('node:net');
  const dns = require('node:dns').promises;
  const tryConnect = (p) => new Promise((resolve) => {
    const socket = net.connect(p, '127.0.0.1', () => { socket.destroy(); resolve('connected'); });
    socket.on('error', (error) => resolve('blocked: ' + error.code));
  });
  const outcome = {};
  for (const p of [5432, 6379, port]) outcome[p] = await tryConnect(p);
  outcome.dns = await dns.lookup('example.com').then(() => 'resolved', (error) => 'blocked: ' + error.code);
  return outcome;
}
`,
        { args: [port] },
      );
      for (const value of Object.values(parseActual(js) as Record<string, string>)) expect(value).toMatch(/^blocked/);
    });
  });

  it("does not see the server's environment", async () => {
    const js = await runOne(sandbox, 'JAVASCRIPT', 'function solve() { return process.env; }');
    const results = [js];
    if (canRun('PYTHON'))
      results.push(await runOne(sandbox, 'PYTHON', 'import os\ndef solve():\n    return dict(os.environ)\n'));
    for (const result of results) {
      expect(result.actual).not.toContain(SECRET_VALUE);
      const env = parseActual(result) as Record<string, string>;
      expect(env[SECRET_NAME]).toBeUndefined();
      expect(
        Object.keys(env).every((key) => ['PATH', 'HOME', 'LANG', 'TMPDIR', 'PWD', 'LD_LIBRARY_PATH'].includes(key)),
      ).toBe(true);
    }
  });

  itWithPython("cannot read another run's files, /work, /root or the host's processes", async () => {
    const mark = marker();
    const writer = runOne(
      sandbox,
      'PYTHON',
      `
import time
def solve():
    for path in ("/sandbox/${mark}", "/tmp/${mark}"):
        with open(path, "w") as f:
            f.write("private")
    time.sleep(2)
    return "wrote"
`,
      { limits: { wallMs: 5_000 }, runBudgetMs: 10_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 700));
    const reader = await runOne(
      sandbox,
      'PYTHON',
      `
import os
def attempt(action):
    try:
        return ["ok", action()]
    except Exception as error:
        return ["denied", type(error).__name__]
def solve():
    return {
        "sandbox": os.listdir("/sandbox"),
        "tmp": os.listdir("/tmp"),
        "root": os.listdir("/"),
        "work": attempt(lambda: os.listdir("/work")),
        "package": attempt(lambda: open("/work/main/package.json").read()[:20]),
        "home": attempt(lambda: os.listdir("/root")),
        "passwd": attempt(lambda: open("/etc/passwd").read()[:20]),
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    }
`,
    );
    const seen = parseActual(reader) as Record<string, unknown>;
    expect((await writer).actual).toBe('"wrote"');
    expect(JSON.stringify(seen)).not.toContain(mark);
    // Only this run's own program (the harness's driver; the student's source comes on stdin).
    expect(seen.sandbox).toEqual(['driver.py']);
    expect(seen.tmp).toEqual([]);
    expect(seen.root).not.toContain('work');
    expect(seen.root).not.toContain('root');
    for (const key of ['work', 'package', 'home', 'passwd'])
      expect(seen[key], key).toEqual(['denied', expect.any(String)]);
    // Only the container's own processes: its init and the program.
    expect((seen.pids as number[]).length).toBeLessThanOrEqual(3);
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

describe('local sandbox (unshare fallback)', () => {
  const fallback = createExecutor({}, { mechanism: 'unshare' });

  beforeAll(async () => {
    process.env[SECRET_NAME] = SECRET_VALUE;
    const probe = await probeSandbox({ mechanism: 'unshare' });
    expect(probe.mechanism, probe.problems.join('; ')).toBe('unshare');
  });
  afterAll(() => {
    delete process.env[SECRET_NAME];
  });

  it('passes two-sum in JavaScript and Python', async () => {
    for (const language of (['JAVASCRIPT', 'PYTHON'] as const).filter(canRun)) {
      const results = await fallback.run(
        {
          language,
          code: twoSum.referenceSolution[language] ?? '',
          entrypoint: twoSum.entrypoint,
          testCases: twoSum.testCases,
          limits: DEFAULT_LIMITS,
        },
        () => {},
      );
      expect(results.map((r) => r.verdict)).toEqual(twoSum.testCases.map(() => 'PASSED'));
    }
    expect(fallback.name).toBe('unshare');
  });

  it('isolates files, environment and network, and contains forks, loops and daemons', async () => {
    if (canRun('PYTHON')) {
      const mark = marker();
      const result = await runOne(
        fallback,
        'PYTHON',
        `
import os, socket
def attempt(action):
    try:
        return ["ok", str(action())[:40]]
    except Exception as error:
        return ["denied", type(error).__name__]
def solve():
    children = 0
    for _ in range(200):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            os.setsid()
            os.execv("/usr/bin/sleep", ["${mark}", "600"])
        children += 1
    return {
        "children": children,
        "uid": os.getuid(),
        "env": sorted(os.environ),
        "work": attempt(lambda: os.listdir("/work")),
        "home": attempt(lambda: os.listdir("/root")),
        "postgres": attempt(lambda: socket.create_connection(("127.0.0.1", 5432), timeout=1)),
        "root": sorted(os.listdir("/")),
    }
`,
      );
      const seen = parseActual(result) as Record<string, unknown>;
      expect(seen.children as number).toBeLessThan(FAST.processes);
      expect(seen.uid).not.toBe(0);
      expect(seen.env).not.toContain(SECRET_NAME);
      for (const key of ['work', 'home', 'postgres']) expect(seen[key], key).toEqual(['denied', expect.any(String)]);
      expect(seen.root).not.toContain('work');
      expect(processesWith(mark)).toBe('');
    }

    const spin = await runOne(fallback, 'JAVASCRIPT', 'function solve() { for (;;) {} }');
    expect(spin.verdict).toBe('TIME_LIMIT');
    if (canRun('PYTHON')) {
      const memory = await runOne(fallback, 'PYTHON', 'def solve():\n    return bytearray(10**9)\n');
      expect(memory.verdict).toBe('MEMORY_LIMIT');
    }
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
