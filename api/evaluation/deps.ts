/** What an evaluation worker needs (database, pubsub, sandbox, rubric scorer, logger); the runtime builds it (api/runtime.ts). */
import type { PrismaClient } from '../db.js';
import type { Executor } from '../execution/executor.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub.js';
import type { RubricScorer } from './rubric.js';

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
