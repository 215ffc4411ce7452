/**
 * Isolation: a program in the local sandbox (bubblewrap, and the unshare fallback, which passes
 * two-sum too) reaches no network, server environment, other run's files or host process.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../api/execution/executor.js';
import { createExecutor, probeSandbox } from '../api/execution/index.js';
import { describeWithBubblewrap } from './support/bubblewrap.js';
import { bubblewrapSandbox, FAST, marker, parseActual, processesWith, runOne, twoSum } from './support/execution.js';
import { canRun, itWithPython } from './support/python.js';

/** Set in the server's environment while these run; no program may see it. */
const SECRET_NAME = 'PRACTICE_TEST_SECRET_TOKEN';
const SECRET_VALUE = `secret-${randomUUID()}`;

describeWithBubblewrap('local sandbox (bubblewrap)', () => {
  const sandbox = bubblewrapSandbox();
  beforeAll(() => {
    process.env[SECRET_NAME] = SECRET_VALUE;
  });
  afterAll(() => {
    delete process.env[SECRET_NAME];
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
