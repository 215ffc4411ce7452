/** `npm start`: parse the environment, start the server, stop cleanly on SIGTERM / SIGINT. */
import { buildApp } from './app.js';
import { EnvError, parseEnv } from './env.js';
import { createLogger } from './logger.js';

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(env.LOG_LEVEL);
const app = buildApp({ env, logger });
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: shutting down…`);
  try {
    await app.stop();
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error('shutdown failed', error);
    process.exit(1);
  }
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.start();
} catch (error) {
  logger.error('start-up failed', error);
  await app.stop().catch(() => undefined);
  process.exit(1);
}
