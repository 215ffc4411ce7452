/** What an evaluation worker needs (database, pubsub, sandbox, rubric scorer, logger); the runtime builds it. */
import type { PrismaClient } from '../db.js';
import type { Env } from '../env.js';
import type { Executor } from '../execution/executor.js';
import { createExecutor } from '../execution/index.js';
import type { LlmClient } from '../llm/client.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub.js';
import { createBuiltinRubricScorer } from './keyword-scorer.js';
import { createLlmRubricScorer, type RubricScorer } from './rubric.js';

/** What a worker needs. */
export interface WorkerDeps {
  prisma: PrismaClient;
  /** Wakes the run's subscribers, and the leaderboards when points are awarded. */
  pubsub: PubSub;
  executor: Executor;
  logger: Logger;
  /** Scores system-design answers (on the LLM client when there is one, else the built-in scorer). */
  rubricScorer: RubricScorer;
  /** Longest a run's tests may take together (EVAL_RUN_BUDGET_MS); unset: 2 × the per-test CPU limit. */
  runBudgetMs?: number;
}

/** The workers' dependencies as the environment configures them. */
export function createWorkerDeps(options: {
  prisma: PrismaClient;
  pubsub: PubSub;
  env: Pick<Env, 'EXECUTOR' | 'PISTON_API_URL' | 'EVAL_RUN_BUDGET_MS'>;
  logger: Logger;
  /** Runs the code; default: the one EXECUTOR / PISTON_API_URL choose. */
  executor?: Executor;
  /** The process's LLM client; null: the built-in scorer. */
  llm: LlmClient | null;
}): WorkerDeps {
  const { env } = options;
  return {
    prisma: options.prisma,
    pubsub: options.pubsub,
    logger: options.logger,
    executor: options.executor ?? createExecutor(env),
    runBudgetMs: env.EVAL_RUN_BUDGET_MS,
    rubricScorer: options.llm ? createLlmRubricScorer(options.llm) : createBuiltinRubricScorer(),
  };
}
