/**
 * `npm start` as a user runs it: a real process on the embedded database, which serves the
 * seeded catalog, keeps its data across a restart, and stops cleanly on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../api/db.js';
import { seedItems } from '../prisma/seed/content/index.js';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const root = new URL('..', import.meta.url).pathname;
const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `api/main.ts` (what `npm start` runs) and waits until it logs its URL. */
function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [tsxCli, 'api/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphQL \+ GraphiQL: (http:\/\/\S+)\/graphql/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output, exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
}

async function totalCount(url: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ contentItems(first: 100) { totalCount } }' }),
  });
  return (await response.json()).data.contentItems.totalCount;
}

describe('npm start', () => {
  it('refuses to start on a bad variable, naming it', async () => {
    const child = spawn(process.execPath, [tsxCli, 'api/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', DATABASE_URL: 'mysql://nope' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/DATABASE_URL/);
  });

  it('serves the seeded catalog, keeps data across a restart, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'practice-start-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, PGLITE_DIR: join(dataDir, 'pglite') };

    const first = await start(env);
    expect(await totalCount(first.url)).toBe(seedItems.length);
    const health = await (await fetch(`${first.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: { mode: 'pglite' }, migrations: { upToDate: true } });
    const signUp = await fetch(`${first.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation { signUp(input: { email: "kept@demo.test", password: "kept-password", name: "Kept" }) { __typename } }',
      }),
    });
    expect((await signUp.json()).data.signUp.__typename).toBe('AuthPayload');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/stopped/);

    const second = await start(env);
    expect(second.output()).not.toMatch(/seeding/);
    expect(await totalCount(second.url)).toBe(seedItems.length);
    const logIn = await fetch(`${second.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation { logIn(input: { email: "kept@demo.test", password: "kept-password" }) { __typename } }',
      }),
    });
    expect((await logIn.json()).data.logIn.__typename).toBe('AuthPayload');
    expect(await (await fetch(`${second.url}/health`)).json()).toMatchObject({ migrations: { pending: [] } });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    const after = await openDatabase({ pgliteDir: env.PGLITE_DIR });
    try {
      expect(await after.prisma.user.count({ where: { email: 'kept@demo.test' } })).toBe(1);
      expect(await after.prisma.contentItem.count()).toBe(seedItems.length);
      expect(await after.prisma.user.count({ where: { email: { endsWith: '@demo.test' } } })).toBe(5);
    } finally {
      await after.close();
    }
  }, 120_000);
});
