/**
 * The composition root. `planRuntime` builds the parts that need only the configuration
 * (logger, limits, LLM client, executor, scorer, coach model, curriculum planner); `openRuntime` opens the rest
 * (database, pubsub, job queue, workers, coach, token keys), once, in order, and closes them in
 * reverse order. Nothing else opens a resource or keeps one in a module.
 */
import type { Redis } from 'ioredis';
import { createLookahead } from './adaptive/lookahead.js';
import { type AdaptiveOptions, createPoolCache } from './adaptive/pools.js';
import { createTokenService, type TokenService } from './auth/tokens.js';
import { createBuiltinCoach } from './coach/builtin.js';
import { createLlmCoach } from './coach/llm-coach.js';
import type { CoachModel } from './coach/model.js';
import { type Coach, type CoachLimits, createCoach } from './coach/turns.js';
import { type Database, openDatabase, type PrismaClient } from './db.js';
import type { Env } from './env.js';
import {
  CALIBRATION_ABANDONED_QUEUE,
  CALIBRATION_QUEUE,
  EXPIRY_SWEEP_QUEUE,
  openJobQueue,
  type JobQueue,
} from './evaluation/jobs.js';
import type { WorkerDeps } from './evaluation/deps.js';
import { createBuiltinRubricScorer } from './evaluation/keyword-scorer.js';
import { createLlmRubricScorer, type RubricScorer } from './evaluation/rubric.js';
import { startWorkerPool } from './evaluation/worker.js';
import type { Executor } from './execution/executor.js';
import { createExecutor } from './execution/index.js';
import { createLiveBoards, type LiveBoards } from './leaderboard/live.js';
import { anthropicClientFromEnv } from './llm/anthropic.js';
import type { LlmClient } from './llm/client.js';
import { createLogger, type Logger } from './logger.js';
import { createLlmCurriculumPlanner } from './paths/llm-planner.js';
import { createBuiltinCurriculumPlanner, type CurriculumPlanner } from './paths/planner.js';
import { createRedisClient, openPubSub, type PubSub } from './pubsub.js';
import { expireIdleSessions } from './services/adaptive.js';
import { abandonCalibrationRun, processCalibrationRun } from './services/calibration.js';

/** Depth, breadth and complexity a query may reach (checked before execution). */
export interface QueryLimits {
  depth: number;
  breadth: number;
  complexity: number;
}

/**
 * The parts built from the configuration alone, before anything is opened (no I/O), so a bad
 * setting fails when the app is built: the logger, the limits, the one LLM client, and the
 * executor, rubric scorer, coach model and curriculum planner (each an LLM-backed one or its
 * built-in twin).
 */
export interface RuntimePlan {
  readonly env: Env;
  readonly logger: Logger;
  /** The one LLM client (Anthropic, when ANTHROPIC_API_KEY is set); null: the built-in coach, scorer and planner answer. */
  readonly llm: LlmClient | null;
  /** Runs code (the sandbox, Piston, or the unsafe local runner). */
  readonly executor: Executor;
  /** Scores system-design answers. */
  readonly rubricScorer: RubricScorer;
  /** Answers coach turns. */
  readonly coachModel: CoachModel;
  /** Plans learners' curricula (a model's plan is checked, and falls back to the built-in planner). */
  readonly curriculumPlanner: CurriculumPlanner;
  readonly limits: { query: QueryLimits; coach: CoachLimits };
}

/** What every process has opened: the data, the events, the jobs and the evaluation. */
export interface CoreRuntime extends RuntimePlan {
  readonly database: Database;
  readonly prisma: PrismaClient;
  /** Events between processes (in-process, or Redis when REDIS_URL is set). */
  readonly pubsub: PubSub;
  readonly jobs: JobQueue;
  /** What an evaluation worker needs: the database, the pubsub, the executor and the scorer. */
  readonly evaluation: WorkerDeps;
  /** What adaptive tests share: the idle time before expiry, and the copies of the pools. */
  readonly adaptive: AdaptiveOptions;
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
}

/** What a caller may hand in instead of what the environment configures. */
export interface PlanOverrides {
  logger?: Logger;
  /** Runs code for the in-process workers; default: the one EXECUTOR / PISTON_API_URL choose. */
  executor?: Executor;
}

/** How to open the plan. */
export interface OpenOptions {
  /** Use this database; the caller closes it. */
  database?: Database;
  /** Runs once the database is open, before anything reads it (the API migrates and seeds here). */
  prepareDatabase?: (database: Database, logger: Logger) => Promise<void>;
}

/** Builds the parts that need only the configuration. Throws on a setting that cannot work. */
export function planRuntime(env: Env, overrides: PlanOverrides = {}): RuntimePlan {
  const llm = anthropicClientFromEnv(env);
  return {
    env,
    logger: overrides.logger ?? createLogger(env.LOG_LEVEL),
    llm,
    executor: overrides.executor ?? createExecutor(env),
    rubricScorer: llm ? createLlmRubricScorer(llm) : createBuiltinRubricScorer(),
    coachModel: llm
      ? createLlmCoach(llm, {
          maxCalls: env.COACH_MAX_CALLS,
          deadlineMs: env.COACH_TURN_DEADLINE_MS,
          idleTimeoutMs: env.COACH_IDLE_TIMEOUT_MS,
        })
      : createBuiltinCoach(),
    curriculumPlanner: llm ? createLlmCurriculumPlanner(llm) : createBuiltinCurriculumPlanner(),
    limits: {
      query: { depth: env.GRAPHQL_MAX_DEPTH, breadth: env.GRAPHQL_MAX_BREADTH, complexity: env.GRAPHQL_MAX_COMPLEXITY },
      coach: {
        turnsPerMinute: env.COACH_TURNS_PER_MINUTE,
        dailyTokens: env.COACH_DAILY_TOKENS,
        deadlineMs: env.COACH_TURN_DEADLINE_MS,
      },
    },
  };
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
export async function openCoreRuntime(plan: RuntimePlan, options: OpenOptions = {}): Promise<CoreRuntime> {
  const closers = new Closers();
  try {
    return await openCore(plan, options, closers);
  } catch (error) {
    await closers.closeAll().catch(() => undefined);
    throw error;
  }
}

async function openCore(plan: RuntimePlan, options: OpenOptions, closers: Closers): Promise<CoreRuntime> {
  const { env, logger } = plan;
  const database =
    options.database ??
    closers.own(
      await openDatabase({
        databaseUrl: env.DATABASE_URL,
        pgliteDir: env.PGLITE_DIR,
        statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      }),
      (db) => db.close(),
    );
  logger.info(`database: ${database.mode} (${database.location})`);
  await options.prepareDatabase?.(database, logger);
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
  return {
    ...plan,
    database,
    prisma: database.prisma,
    pubsub: events.pubsub,
    jobs,
    evaluation: {
      prisma: database.prisma,
      pubsub: events.pubsub,
      logger,
      executor: plan.executor,
      rubricScorer: plan.rubricScorer,
      runBudgetMs: env.EVAL_RUN_BUDGET_MS,
    },
    adaptive: {
      idleMinutes: env.ADAPTIVE_SESSION_IDLE_MINUTES,
      pools: createPoolCache(),
      lookahead: closers.own(createLookahead(), (lookahead) => lookahead.close()),
    },
    close: () => closers.closeAll(),
  };
}

/** Workers of this process that take jobs until stopped. */
export interface Workers {
  /** Stops taking jobs; waits for those in hand. */
  stop(): Promise<void>;
}

/**
 * Works the adaptive tests' jobs in this process, wherever evaluation workers run (the API
 * with EVAL_CONCURRENCY > 0, and `npm run worker`): calibration runs, one at a time (the
 * estimation is CPU-bound), their dead letters, and the minutely expiry sweep.
 */
export async function startAdaptiveWorkers(core: CoreRuntime): Promise<Workers> {
  const { jobs, logger } = core;
  const deps = { prisma: core.prisma, logger };
  await jobs.work(CALIBRATION_QUEUE, {}, ({ calibrationRunId }) => processCalibrationRun(deps, calibrationRunId));
  await jobs.work(CALIBRATION_ABANDONED_QUEUE, {}, ({ calibrationRunId }) =>
    abandonCalibrationRun(deps, calibrationRunId),
  );
  await jobs.work(EXPIRY_SWEEP_QUEUE, {}, async () => {
    const expired = await expireIdleSessions(core.prisma);
    if (expired > 0) logger.info(`adaptive tests: ${expired} idle session(s) expired`);
  });
  return {
    async stop() {
      for (const queue of [CALIBRATION_QUEUE, CALIBRATION_ABANDONED_QUEUE, EXPIRY_SWEEP_QUEUE] as const) {
        await jobs.stopWorking(queue);
      }
    },
  };
}

/**
 * Opens everything the API process needs, and starts its in-process workers (EVAL_CONCURRENCY
 * evaluation workers, and the adaptive tests' workers).
 */
export async function openRuntime(plan: RuntimePlan, options: OpenOptions = {}): Promise<Runtime> {
  const { env, logger } = plan;
  const closers = new Closers();
  try {
    const core = closers.own(await openCoreRuntime(plan, options), (c) => c.close());
    if (env.EVAL_CONCURRENCY > 0) {
      closers.own(await startWorkerPool(core.evaluation, core.jobs, { concurrency: env.EVAL_CONCURRENCY }), (pool) =>
        pool.stop(),
      );
      logger.info(
        `evaluation: ${env.EVAL_CONCURRENCY} worker(s), executor ${plan.executor.name}, scorer ${plan.rubricScorer.name}`,
      );
      closers.own(await startAdaptiveWorkers(core), (workers) => workers.stop());
    }
    const rateLimitRedis = env.REDIS_URL
      ? closers.own(createRedisClient(env.REDIS_URL, logger, 'rate limits'), (redis) => redis.quit())
      : undefined;
    const coach = closers.own(
      createCoach({
        prisma: core.prisma,
        pubsub: core.pubsub,
        logger,
        model: plan.coachModel,
        limits: plan.limits.coach,
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
      leaderboards: createLiveBoards({ prisma: core.prisma, pubsub: core.pubsub }),
      rateLimitRedis,
      close: () => closers.closeAll(),
    };
  } catch (error) {
    await closers.closeAll().catch(() => undefined);
    throw error;
  }
}
