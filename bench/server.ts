/** The real server as the benchmarks run it: seeded, silent, no workers, on a free port. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, buildApp } from '../api/app.js';
import type { Database } from '../api/db.js';
import { parseEnv } from '../api/env.js';
import { createLogger } from '../api/logger.js';

export interface BenchServer {
  app: App;
  url: string;
  port: number;
  /** Logs in a demo user (password `practice`) and returns the access token. */
  logIn(email: string): Promise<string>;
}

export async function startBenchServer(db: Database): Promise<BenchServer> {
  const env = parseEnv({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATA_DIR: await mkdtemp(join(tmpdir(), 'bench-')),
    LOG_LEVEL: 'silent',
    EVAL_CONCURRENCY: '0',
    SEED_ON_START: 'true',
    // The benchmarks submit far more than a learner would in a minute.
    RATE_LIMIT_MUTATIONS_PER_MINUTE: '1000000',
  });
  const app = buildApp({ env, database: db, logger: createLogger('silent') });
  const { port, url } = await app.start(0);
  return {
    app,
    url,
    port,
    async logIn(email) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query:
            'mutation ($email: String!) { logIn(input: { email: $email, password: "practice" }) { ... on AuthPayload { token } } }',
          variables: { email },
        }),
      });
      return ((await response.json()) as { data: { logIn: { token: string } } }).data.logIn.token;
    },
  };
}
