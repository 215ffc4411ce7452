/**
 * `npm run worker`: evaluation workers, and the adaptive tests' calibration and expiry jobs,
 * as a separate process, taking pg-boss jobs from the PostgreSQL of DATABASE_URL (the embedded
 * database belongs to the API process). SIGTERM / SIGINT let the runs in progress finish; a
 * killed worker's jobs go to another worker once their heartbeats stop (EVAL_HEARTBEAT_SECONDS).
 */
import { EnvError, parseEnv } from './env.js';
import { startWorkerPool } from './evaluation/worker.js';
import { createLogger } from './logger.js';
import { openCoreRuntime, planRuntime, startAdaptiveWorkers } from './runtime.js';

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
  if (!env.DATABASE_URL)
    throw new EnvError('Invalid environment:\n  DATABASE_URL: workers need a PostgreSQL database (got null)');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const logger = createLogger(env.LOG_LEVEL);

/** What start-up opened, once it has; a signal during start-up stops it as soon as it is done. */
let opened: Promise<{ stop(): Promise<void> }> | null = null;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: finishing runs in progress…`);
  await (await opened?.catch(() => null))?.stop();
  process.exit(0);
}
// Before anything starts: a supervisor's SIGTERM may come at any moment, even before "ready".
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

opened = (async () => {
  // Completions wake the API processes' subscribers (and other workers) through Redis.
  const runtime = await openCoreRuntime(planRuntime(env, { logger }));
  const concurrency = Math.max(1, env.EVAL_CONCURRENCY);
  const pool = await startWorkerPool(runtime.evaluation, runtime.jobs, { concurrency });
  const adaptive = await startAdaptiveWorkers(runtime);
  logger.info(`worker: ${concurrency} worker(s) on ${runtime.database.location}, executor ${runtime.executor.name}`);
  return {
    async stop() {
      await adaptive.stop();
      await pool.stop();
      await runtime.close();
    },
  };
})();
await opened;
