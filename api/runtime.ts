/**
 * The composition root: every long-lived part of a process (database, pubsub, job queue,
 * executor, scorer, coach, token verifier, logger, limits) is opened here, once, in order,
 * and closed in reverse order. Nothing else opens a resource or keeps one in a module.
 */
import type { Redis } from 'ioredis';
import { createTokenService, type TokenService } from './auth/tokens.js';
import { createBuiltinCoach } from './coach/builtin.js';
import { createLlmCoach } from './coach/llm-coach.js';
import { type Coach, createCoach } from './coach/turns.js';
import { type Database, openDatabase, type PrismaClient } from './db.js';
import type { Env } from './env.js';
import { openJobQueue, type JobQueue } from './evaluation/jobs.js';
import { createWorkerDeps, type WorkerDeps } from './evaluation/deps.js';
import { startWorkerPool } from './evaluation/worker.js';
import type { Executor } from './execution/executor.js';
import { createLiveBoards, type LiveBoards } from './leaderboard/live.js';
import { anthropicClientFromEnv } from './llm/anthropic.js';
import type { LlmClient } from './llm/client.js';
import { createLogger, type Logger } from './logger.js';
import { createRedisClient, openPubSub, type PubSub } from './pubsub.js';

/** Depth, breadth and complexity a query may reach (checked before execution). */
export interface QueryLimits {
  depth: number;
  breadth: number;
  complexity: number;
}

/** What every process has: the data, the events, the jobs and the evaluation. */
export interface CoreRuntime {
  readonly env: Env;
  readonly logger: Logger;
  readonly database: Database;
  readonly prisma: PrismaClient;
  /** Events between processes (in-process, or Redis when REDIS_URL is set). */
  readonly pubsub: PubSub;
  readonly jobs: JobQueue;
  /** The one LLM client (Anthropic, when ANTHROPIC_API_KEY is set); null: the built-in coach and scorer answer. */
  readonly llm: LlmClient | null;
  /** What an evaluation worker needs: executor, rubric scorer, limits. */
  readonly evaluation: WorkerDeps;
  /** Closes what was opened, newest first. */
  close(): Promise<void>;
}

/** The API process: the core, plus what serves requests. */
export interface Runtime extends CoreRuntime {
  /** Verifies and signs access tokens. */
  readonly tokens: TokenService;
  /** Writes coach turns in the background. */
  readonly coach: Coach;
  /** Live leaderboard tops, shared by their subscribers. */
  readonly leaderboards: LiveBoards;
  /** Where rate-limit counts live when every process must count together (REDIS_URL). */
  readonly rateLimitRedis: Redis | undefined;
  readonly limits: { query: QueryLimits };
}

/** What a caller may hand in instead of what the environment configures. */
export interface RuntimeOverrides {
  /** Use this database; the caller closes it. */
  database?: Database;
  logger?: Logger;
  /** Runs code for the in-process workers; default: the one EXECUTOR / PISTON_API_URL choose. */
  executor?: Executor;
  /** Runs once the database is open, before anything reads it (the API migrates and seeds here). */
  prepareDatabase?: (database: Database, logger: Logger) => Promise<void>;
}

/** Closes what was opened, newest first; every closer runs even when one fails. */
class Closers {
  private readonly stack: (() => Promise<void>)[] = [];

  /** Registers how to close `value`, and returns it. */
  own<T>(value: T, close: (value: T) => Promise<unknown>): T {
    this.stack.push(async () => void (await close(value)));
    return value;
  }

  async closeAll(): Promise<void> {
    const errors: unknown[] = [];
    for (let close = this.stack.pop(); close; close = this.stack.pop()) await close().catch((e) => errors.push(e));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Closing the runtime failed');
  }
}

/** Opens the core: what the API and `npm run worker` share. On failure, what was opened is closed. */
export async function openCoreRuntime(env: Env, overrides: RuntimeOverrides = {}): Promise<CoreRuntime> {
  const closers = new Closers();
  try {
    return await openCore(env, overrides, closers);
  } catch (error) {
    await closers.closeAll().catch(() => undefined);
    throw error;
  }
}

async function openCore(env: Env, overrides: RuntimeOverrides, closers: Closers): Promise<CoreRuntime> {
  const logger = overrides.logger ?? createLogger(env.LOG_LEVEL);
  const database =
    overrides.database ??
    closers.own(
      await openDatabase({
        databaseUrl: env.DATABASE_URL,
        pgliteDir: env.PGLITE_DIR,
        statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      }),
      (db) => db.close(),
    );
  logger.info(`database: ${database.mode} (${database.location})`);
  await overrides.prepareDatabase?.(database, logger);
  const events = closers.own(await openPubSub(env.REDIS_URL, logger), (p) => p.close());
  if (env.REDIS_URL) logger.info('subscriptions: events fan out through Redis');
  const jobs = closers.own(
    await openJobQueue(database, {
      heartbeatSeconds: env.EVAL_HEARTBEAT_SECONDS,
      retryLimit: env.EVAL_RETRY_LIMIT,
      logger,
    }),
    (queue) => queue.stop(),
  );
  const llm = anthropicClientFromEnv(env);
  const evaluation = createWorkerDeps({
    prisma: database.prisma,
    pubsub: events.pubsub,
    env,
    logger,
    executor: overrides.executor,
    llm,
  });
  return {
    env,
    logger,
    database,
    prisma: database.prisma,
    pubsub: events.pubsub,
    jobs,
    llm,
    evaluation,
    close: () => closers.closeAll(),
  };
}

/**
 * Opens everything the API process needs, and starts its in-process evaluation workers
 * (EVAL_CONCURRENCY).
 */
export async function openRuntime(env: Env, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const closers = new Closers();
  try {
    const core = closers.own(await openCoreRuntime(env, overrides), (c) => c.close());
    const { logger, prisma } = core;
    if (env.EVAL_CONCURRENCY > 0) {
      closers.own(await startWorkerPool(core.evaluation, core.jobs, { concurrency: env.EVAL_CONCURRENCY }), (pool) =>
        pool.stop(),
      );
      logger.info(
        `evaluation: ${env.EVAL_CONCURRENCY} worker(s), executor ${core.evaluation.executor.name}, scorer ${core.evaluation.rubricScorer.name}`,
      );
    }
    const rateLimitRedis = env.REDIS_URL
      ? closers.own(createRedisClient(env.REDIS_URL, logger, 'rate limits'), (redis) => redis.quit())
      : undefined;
    const coach = closers.own(
      createCoach({
        prisma,
        pubsub: core.pubsub,
        logger,
        model: core.llm
          ? createLlmCoach(core.llm, {
              maxCalls: env.COACH_MAX_CALLS,
              deadlineMs: env.COACH_TURN_DEADLINE_MS,
              idleTimeoutMs: env.COACH_IDLE_TIMEOUT_MS,
            })
          : createBuiltinCoach(),
        limits: {
          turnsPerMinute: env.COACH_TURNS_PER_MINUTE,
          dailyTokens: env.COACH_DAILY_TOKENS,
          deadlineMs: env.COACH_TURN_DEADLINE_MS,
        },
      }),
      (c) => c.stop(),
    );
    await coach.expireOrphans({});
    logger.info(`coach: ${coach.model.builtin ? 'built-in (no ANTHROPIC_API_KEY)' : coach.model.name}`);
    const tokens = await createTokenService({
      jwtSecret: env.JWT_SECRET,
      jwksUrl: env.JWKS_URL,
      dataDir: env.DATA_DIR,
    });
    return {
      ...core,
      tokens,
      coach,
      leaderboards: createLiveBoards({ prisma, pubsub: core.pubsub }),
      rateLimitRedis,
      limits: {
        query: {
          depth: env.GRAPHQL_MAX_DEPTH,
          breadth: env.GRAPHQL_MAX_BREADTH,
          complexity: env.GRAPHQL_MAX_COMPLEXITY,
        },
      },
      close: () => closers.closeAll(),
    };
  } catch (error) {
    await closers.closeAll().catch(() => undefined);
    throw error;
  }
}
