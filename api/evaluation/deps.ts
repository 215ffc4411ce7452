/** What an evaluation worker needs (database, sandbox, rubric scorer, logger), as the environment configures it. */
import type { PrismaClient } from '../db.js';
import type { Env } from '../env.js';
import type { Executor } from '../execution/executor.js';
import { createExecutor } from '../execution/index.js';
import type { Logger } from '../logger.js';
import { createAnthropicRubricScorer, createBuiltinRubricScorer, type RubricScorer } from './llm.js';

/** What a worker needs. */
export interface WorkerDeps {
  prisma: PrismaClient;
  executor: Executor;
  logger: Logger;
  /** Scores system-design answers (Anthropic when configured, else the built-in scorer). */
  rubricScorer: RubricScorer;
  /** Longest a run's tests may take together (EVAL_RUN_BUDGET_MS); unset: 2 × the per-test CPU limit. */
  runBudgetMs?: number;
}

/** The workers' dependencies as the environment configures them. */
export function createWorkerDeps(options: {
  prisma: PrismaClient;
  env: Pick<
    Env,
    | 'EXECUTOR'
    | 'PISTON_API_URL'
    | 'ANTHROPIC_API_KEY'
    | 'ANTHROPIC_MODEL'
    | 'ANTHROPIC_BASE_URL'
    | 'EVAL_RUN_BUDGET_MS'
  >;
  logger: Logger;
  executor?: Executor;
}): WorkerDeps {
  const { env } = options;
  return {
    prisma: options.prisma,
    logger: options.logger,
    executor: options.executor ?? createExecutor(env),
    runBudgetMs: env.EVAL_RUN_BUDGET_MS,
    rubricScorer: env.ANTHROPIC_API_KEY
      ? createAnthropicRubricScorer({
          apiKey: env.ANTHROPIC_API_KEY,
          model: env.ANTHROPIC_MODEL,
          baseURL: env.ANTHROPIC_BASE_URL,
        })
      : createBuiltinRubricScorer(),
  };
}
