/**
 * `npm start` and `npm run worker` under a supervisor (systemd, Docker and Kubernetes signal
 * the process they started, npm, and only it): SIGTERM to npm's pid alone stops the server and
 * every process npm started, and frees the port, within 10 s. The worker needs PostgreSQL, so
 * its case runs only when TEST_DATABASE_URL is set.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './support/database.js';

const root = new URL('..', import.meta.url).pathname;
const STOP_WITHIN_MS = 10_000;
const groups = new Set<number>();
const dirs: string[] = [];

afterAll(async () => {
  // Whatever a failed case left running.
  for (const pgid of groups) if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Whether any process of the group `pgid` is left. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Whether something accepts connections on `url`'s port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface NpmRun {
  npm: ChildProcess;
  pgid: number;
  output: () => string;
  /** Settles once npm has exited and its output is all read. */
  closed: Promise<void>;
}

/**
 * Runs `npm <args>` as the leader of its own process group (as a supervisor would start it) and
 * resolves once its output matches `ready`, with the match.
 */
function runNpm(args: string[], env: Record<string, string>, ready: RegExp): Promise<NpmRun & { match: string }> {
  const npm = spawn('npm', args, {
    cwd: root,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = npm.pid;
  if (pgid === undefined) throw new Error('npm did not start');
  groups.add(pgid);
  let output = '';
  const closed = new Promise<void>((resolve) =>
    npm.once('close', (code, signal) => {
      output += `\n[npm exited: ${code ?? signal}]`;
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ npm, pgid, output: () => output, closed, match: match[1] ?? match[0] });
    };
    npm.stdout?.on('data', onData);
    npm.stderr?.on('data', onData);
    npm.once('exit', (code, signal) =>
      reject(new Error(`npm exited (${code ?? signal}) before it was ready:\n${output}`)),
    );
  });
}

/**
 * Sends SIGTERM to npm's pid alone; resolves with the ms until no process of its group is left,
 * once what they printed last has been read too.
 */
async function terminateNpm({ pgid, closed }: NpmRun): Promise<number> {
  const sent = Date.now();
  process.kill(pgid, 'SIGTERM'); // npm leads its group: its pid is the group's id
  while (groupAlive(pgid) && Date.now() - sent < STOP_WITHIN_MS) await sleep(50);
  const tookMs = Date.now() - sent;
  // The group is gone; its last lines may still sit in the pipes: wait for them to be read.
  if (!groupAlive(pgid)) await Promise.race([closed, sleep(2_000)]);
  return tookMs;
}

describe('SIGTERM to npm alone', () => {
  it('stops `npm start`: the port closes and no process of its group is left, within 10 s', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'practice-signals-'));
    dirs.push(dataDir);
    const started = await runNpm(
      ['start'],
      { DATA_DIR: dataDir, PGLITE_DIR: join(dataDir, 'pglite'), EVAL_CONCURRENCY: '1' },
      /health: (http:\/\/\S+)\/health/,
    );
    const url = started.match;
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok' });

    const tookMs = await terminateNpm(started);
    expect(groupAlive(started.pgid), `still running ${tookMs} ms after SIGTERM:\n${started.output()}`).toBe(false);
    expect(tookMs).toBeLessThan(STOP_WITHIN_MS);
    expect(await listening(url)).toBe(false);
    // The server itself got the signal and shut down (not merely orphaned and killed).
    expect(started.output()).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
  }, 60_000);

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'stops `npm run worker`: no process of its group is left, within 10 s',
    async () => {
      const database = await createTestDatabase();
      try {
        const started = await runNpm(
          ['run', 'worker'],
          { DATABASE_URL: database.url ?? '', EVAL_CONCURRENCY: '1' },
          /worker: \d+ worker\(s\)/,
        );
        const tookMs = await terminateNpm(started);
        expect(groupAlive(started.pgid), `still running ${tookMs} ms after SIGTERM:\n${started.output()}`).toBe(false);
        expect(tookMs).toBeLessThan(STOP_WITHIN_MS);
        expect(started.output()).toMatch(/SIGTERM: finishing runs in progress/);
      } finally {
        await database.close();
      }
    },
    60_000,
  );
});
