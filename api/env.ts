/**
 * The environment, parsed once with zod. A bad value stops start-up with a message that
 * names the variable; everything else receives the typed `Env`, never `process.env`.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();
const optionalUrl = (protocols: RegExp) => optionalString.pipe(z.url({ protocol: protocols }).optional());

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL connection string; when unset the embedded PGlite database is used. */
  DATABASE_URL: optionalUrl(/^postgres(ql)?$/),
  /** Folder of the embedded database. */
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  /** Folder for generated local state (the JWT secret when JWT_SECRET is unset). */
  DATA_DIR: z.string().min(1).default('.data'),
  REDIS_URL: optionalUrl(/^rediss?$/),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWKS_URL: optionalUrl(/^https?$/),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-5'),
  ANTHROPIC_BASE_URL: optionalUrl(/^https?$/),
  PISTON_API_URL: optionalUrl(/^https?$/),
  EXECUTOR: z.enum(['sandbox', 'piston', 'unsafe-local']).optional(),
  /** Evaluation workers inside the API process; 0 leaves evaluation to `npm run worker` processes. */
  EVAL_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
  /** How long a worker may go without a heartbeat before its job is handed to another worker (pg-boss's minimum is 10). */
  EVAL_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3_600).default(30),
  /** How many times a job whose worker died or failed is tried again before its run ends FAILED (ABANDONED). */
  EVAL_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(3),
  /** Longest a run's tests may take together; the tests not finished by then are NOT_RUN. Unset: 2 × the per-test CPU limit. */
  EVAL_RUN_BUDGET_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  /** An adaptive test left this long without an answer becomes EXPIRED (its responses stay). */
  ADAPTIVE_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Coach turns one user may start per minute. */
  COACH_TURNS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000).default(6),
  /** Model tokens (in + out) one user's coach turns may use per day, in the user's time zone. */
  COACH_DAILY_TOKENS: z.coerce.number().int().min(1_000).default(200_000),
  /** Longest a coach turn may take, retries included, before it fails. */
  COACH_TURN_DEADLINE_MS: z.coerce.number().int().min(1_000).max(600_000).default(90_000),
  /** Longest the model may stay silent (before or during a stream) before the call is cut and retried. */
  COACH_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /** Calls per coach turn, the first included, before the turn fails (429, 529, 5xx, timeouts, cut streams). */
  COACH_MAX_CALLS: z.coerce.number().int().min(1).max(10).default(3),
  /** Seed the demo content at start when the database has none. */
  SEED_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** With SEED_ON_START, also the demo students' made-up past activity (profiles, paths, solves, points, streaks). */
  SEED_DEMO_ACTIVITY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Query limits, checked before execution. */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(15),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(10).default(20_000),
  /**
   * Pothos' breadth: every field selected in the document, at any depth (a fragment counts at
   * each spread), not the fields of one level. A client's generated fragment that selects
   * everything two levels deep from the largest mutation payloads must fit: startAttempt's and
   * abandonAttempt's are some 300 fields (301 when this was chosen, refused by the old default
   * of 300), about 420 with a `__typename` on each object below. 1,000 leaves room for the
   * schema to grow; tokens (5,000) and cost (20,000) still bound a document this wide.
   */
  GRAPHQL_MAX_BREADTH: z.coerce.number().int().min(10).default(1_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(1).default(50),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(1_000_000),
  /** Longest one SQL statement of a request may run. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Mutations per minute per user (per IP address when signed out). */
  RATE_LIMIT_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Sign-ups and log-ins per minute per IP address. */
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Whether introspection and GraphiQL are offered (integrators learn the API through them). */
  INTROSPECTION: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  GRAPHIQL: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Origins browsers may call the API from: `*`, or a comma-separated list. */
  CORS_ORIGINS: z.string().min(1).default('*'),
  /** Serve the web app through Vite's dev server (hot reload; `npm run dev`) instead of client/dist. */
  WEB_DEV: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

/** The parsed environment. */
export type Env = z.infer<typeof envSchema>;

/** Thrown when a variable is missing or malformed; the message names every bad variable. */
export class EnvError extends Error {
  override name = 'EnvError';
}

/**
 * Whether the schema checks that resolvers use the query Pothos selected for them (a warning
 * per unused selection; off in production). The schema is built when its module loads, before
 * the environment is parsed, so this one setting is read here directly.
 */
export function checkUnusedPrismaQueries(source: Record<string, string | undefined> = process.env): boolean {
  return source.NODE_ENV !== 'production';
}

/** Parses `source` (default `process.env`); throws `EnvError` naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    return `  ${name}: ${issue.message} (got ${JSON.stringify(source[name] ?? null)})`;
  });
  throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
}
