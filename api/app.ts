/**
 * The server: graphql-yoga over HTTP (POST/GET /graphql, GraphiQL), graphql-ws on the same
 * port and path, and GET /health. `buildApp()` prepares it; nothing listens until `start()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type execute, GraphQLError, type subscribe } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import { seedDatabase } from '../prisma/seed/index.js';
import { createTokenService, type TokenService } from './auth/tokens.js';
import { createAnthropicCoach } from './coach/anthropic.js';
import { createBuiltinCoach } from './coach/builtin.js';
import { type Coach, createCoach, expireOrphanedTurns } from './coach/turns.js';
import type { Viewer } from './auth/viewer.js';
import type { Context } from './context.js';
import { loadViewer } from './services/accounts.js';
import { createAccessRecorder } from './services/audit.js';
import { applyMigrations, migrationStatus } from './db/migrations.js';
import { type Database, openDatabase } from './db.js';
import type { Env } from './env.js';
import { openJobQueue, type JobQueue } from './evaluation/jobs.js';
import { createWorkerDeps } from './evaluation/deps.js';
import { startWorkerPool, type WorkerPool } from './evaluation/worker.js';
import type { Executor } from './execution/executor.js';
import { createLogger, type Logger } from './logger.js';
import { connectPubSub, createRedisClient } from './pubsub.js';
import { type Redis } from 'ioredis';
import { schema } from './schema/index.js';
import { createWebApp, type WebApp } from './web.js';
import { AppError, expectedErrorCode } from './errors.js';
import { CSRF_HEADER, protectionPlugins } from './protect.js';
import { createGraphiQLAssets, GRAPHIQL_ASSETS_PATH, renderGraphiQL } from './graphiql.js';

/** A running (or ready to run) server. */
export interface App {
  /** Opens the database, applies migrations, seeds if empty, and listens; resolves with the bound port. */
  start(port?: number): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish, closes sockets and the database. */
  stop(): Promise<void>;
  /** The open database (after `start`). */
  readonly database: Database;
}

export interface AppOptions {
  env: Env;
  /** Use this database instead of opening the configured one; the caller closes it. */
  database?: Database;
  logger?: Logger;
  /** Runs code for the in-process workers; default: the one EXECUTOR / PISTON_API_URL choose. */
  executor?: Executor;
}

type InitialContext = {
  request?: Request;
  /** Node's request (HTTP), or the upgrade request of a WebSocket. */
  req?: IncomingMessage;
  authorization?: unknown;
};

async function resolveViewer(database: Database, tokens: TokenService, authorization: unknown): Promise<Viewer | null> {
  if (authorization === undefined || authorization === null || authorization === '') return null;
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  const identity = match?.[1] ? await tokens.verify(match[1]) : null;
  const viewer = identity ? await loadViewer(database.prisma, identity) : null;
  if (!viewer) {
    throw new GraphQLError('The access token is invalid or expired: sign in again.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return viewer;
}

/** The `authorization` header sent with one graphql-ws operation, in `extensions.headers` (as GraphiQL does). */
function operationAuthorization(extensions: Record<string, unknown> | null | undefined): unknown {
  const headers = extensions?.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  return Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
}

/**
 * One event reaches many subscriptions on the same socket in the same tick: hold the socket's
 * writes until the tick ends so they leave in one write, not one system call per message.
 */
function coalesceWrites(socket: WebSocket): void {
  // ws keeps the TCP socket as `_socket`; cork and uncork are net.Socket's own.
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw) return;
  const send = socket.send.bind(socket);
  let corked = false;
  socket.send = ((...args: Parameters<WebSocket['send']>) => {
    if (!corked) {
      corked = true;
      raw.cork();
      process.nextTick(() => {
        corked = false;
        raw.uncork();
      });
    }
    send(...args);
  }) as WebSocket['send'];
}

/** Builds the server without starting it. */
export function buildApp(options: AppOptions): App {
  const { env } = options;
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  let database: Database | undefined = options.database;
  const ownsDatabase = !options.database;
  let server: Server | undefined;
  let wsServer: WebSocketServer | undefined;
  let disposeWs: (() => Promise<void>) | undefined;
  let workers: WorkerPool | undefined;
  let jobQueue: JobQueue | undefined;
  let coach: Coach | undefined;
  let web: WebApp | undefined;
  let disconnectPubSub: (() => Promise<void>) | undefined;
  let rateLimitRedis: Redis | undefined;

  const requireDatabase = (): Database => {
    if (!database) throw new Error('The app has not been started');
    return database;
  };

  async function health(res: ServerResponse): Promise<void> {
    const db = requireDatabase();
    let body: Record<string, unknown>;
    let status = 200;
    try {
      const migrations = await migrationStatus(db.adapterFactory);
      const upToDate = migrations.pending.length === 0;
      if (!upToDate) status = 503;
      body = {
        status: upToDate ? 'ok' : 'migrations-pending',
        database: { mode: db.mode, location: db.location },
        migrations: {
          upToDate,
          applied: migrations.applied.length,
          latest: migrations.applied.at(-1) ?? null,
          pending: migrations.pending,
        },
      };
    } catch (error) {
      status = 503;
      logger.error('health check failed', error);
      body = { status: 'database-unavailable', database: { mode: db.mode, location: db.location } };
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  return {
    get database() {
      return requireDatabase();
    },

    async start(port = env.PORT) {
      if (!database) {
        database = await openDatabase({
          databaseUrl: env.DATABASE_URL,
          pgliteDir: env.PGLITE_DIR,
          statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
        });
      }
      const db = database;
      logger.info(`database: ${db.mode} (${db.location})`);
      const { applied } = await applyMigrations(db.adapterFactory, {
        onProgress: (line) => logger.info(`migrate: ${line}`),
      });
      logger.info(applied.length > 0 ? `migrations applied: ${applied.length}` : 'migrations: up to date');
      if (env.SEED_ON_START && (await db.prisma.contentItem.count()) === 0) {
        logger.info('seeding an empty database…');
        const report = await seedDatabase(db.prisma, (line) => logger.info(`seed: ${line}`));
        logger.info(`seed: ${report.created} created`);
      }
      disconnectPubSub = await connectPubSub(env.REDIS_URL, logger);
      // Rate-limit counts live in Redis too when it is there, so every process counts together.
      rateLimitRedis = env.REDIS_URL ? createRedisClient(env.REDIS_URL, logger, 'rate limits') : undefined;
      if (env.REDIS_URL) logger.info('subscriptions: events fan out through Redis');
      const jobs = await openJobQueue(db, {
        heartbeatSeconds: env.EVAL_HEARTBEAT_SECONDS,
        retryLimit: env.EVAL_RETRY_LIMIT,
        logger,
      });
      jobQueue = jobs;
      if (env.EVAL_CONCURRENCY > 0) {
        const deps = createWorkerDeps({ prisma: db.prisma, env, logger, executor: options.executor });
        workers = await startWorkerPool(deps, jobs, { concurrency: env.EVAL_CONCURRENCY });
        logger.info(
          `evaluation: ${env.EVAL_CONCURRENCY} worker(s), executor ${deps.executor.name}, scorer ${deps.rubricScorer.name}`,
        );
      }
      coach = createCoach({
        prisma: db.prisma,
        logger,
        model: env.ANTHROPIC_API_KEY
          ? createAnthropicCoach({
              apiKey: env.ANTHROPIC_API_KEY,
              model: env.ANTHROPIC_MODEL,
              baseURL: env.ANTHROPIC_BASE_URL,
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
      });
      const turnWriter = coach;
      await expireOrphanedTurns(db.prisma, {}, env.COACH_TURN_DEADLINE_MS);
      logger.info(`coach: ${turnWriter.model.builtin ? 'built-in (no ANTHROPIC_API_KEY)' : turnWriter.model.name}`);
      const tokens = await createTokenService({
        jwtSecret: env.JWT_SECRET,
        jwksUrl: env.JWKS_URL,
        dataDir: env.DATA_DIR,
      });

      const yoga: YogaServerInstance<InitialContext, Context> = createYoga<InitialContext, Context>({
        schema,
        graphqlEndpoint: '/graphql',
        graphiql: env.GRAPHIQL ? { subscriptionsProtocol: 'WS', title: 'Practice API' } : false,
        // Its scripts, styles and workers come from this server (GraphiQL works offline).
        renderGraphiQL,
        cors: {
          origin: env.CORS_ORIGINS === '*' ? '*' : env.CORS_ORIGINS.split(',').map((origin) => origin.trim()),
          methods: ['GET', 'POST', 'OPTIONS'],
          allowedHeaders: ['content-type', 'authorization', CSRF_HEADER],
        },
        plugins: protectionPlugins(env, { redis: rateLimitRedis }),
        landingPage: false,
        // Unexpected errors stay masked; an expected one thrown where no result union carries it
        // (a subscription) reaches the client with its message and a code.
        maskedErrors: {
          maskError: (error, message, isDev) => {
            const original = error instanceof GraphQLError ? error.originalError : error;
            if (!(original instanceof AppError)) return maskError(error, message, isDev);
            return new GraphQLError(original.message, {
              nodes: error instanceof GraphQLError ? error.nodes : undefined,
              path: error instanceof GraphQLError ? error.path : undefined,
              extensions: { code: expectedErrorCode(original) },
            });
          },
        },
        logging: logger,
        context: async (initial): Promise<Context> => {
          const viewer = await resolveViewer(
            db,
            tokens,
            initial.authorization ?? initial.request?.headers.get('authorization'),
          );
          return {
            prisma: db.prisma,
            tokens,
            viewer,
            access: createAccessRecorder(db.prisma, viewer),
            coach: turnWriter,
            jobs,
            clientAddress: initial.req?.socket.remoteAddress ?? null,
            queryLimits: {
              depth: env.GRAPHQL_MAX_DEPTH,
              breadth: env.GRAPHQL_MAX_BREADTH,
              complexity: env.GRAPHQL_MAX_COMPLEXITY,
            },
          };
        },
      });

      const webApp = await createWebApp({ dev: env.WEB_DEV, logger });
      const graphiqlAssets = env.GRAPHIQL ? createGraphiQLAssets() : undefined;
      web = webApp;
      const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
        const path = req.url?.split('?')[0] ?? '/';
        if (req.method === 'GET' && path === '/health') {
          void health(res);
          return;
        }
        const refuse = (status: number, message: string) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
          res.end(JSON.stringify({ errors: [{ message }] }));
          req.resume();
        };
        // The size cap reads Content-Length, so a body must declare it (a chunked one could not be capped before it is read).
        if (req.headers['transfer-encoding'] !== undefined) {
          refuse(411, 'Send the request body with a Content-Length header (chunked bodies are not accepted).');
          return;
        }
        if (Number(req.headers['content-length'] ?? 0) > env.MAX_BODY_BYTES) {
          refuse(413, `The request body is larger than ${env.MAX_BODY_BYTES} bytes.`);
          return;
        }
        if (
          graphiqlAssets &&
          path.startsWith(`${GRAPHIQL_ASSETS_PATH}/`) &&
          (req.method === 'GET' || req.method === 'HEAD')
        ) {
          graphiqlAssets(req, res, () => refuse(404, `No GraphiQL file at ${path}.`));
          return;
        }
        // Everything but the API is the web app (GET and HEAD only).
        if (path !== yoga.graphqlEndpoint && (req.method === 'GET' || req.method === 'HEAD')) {
          webApp.handle(req, res);
          return;
        }
        void yoga.requestListener(req, res);
      });
      const ws = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint });
      ws.on('connection', coalesceWrites);
      const wsDisposable = useServer(
        {
          execute: (args) => (args.rootValue as { execute: typeof execute }).execute(args),
          subscribe: (args) => (args.rootValue as { subscribe: typeof subscribe }).subscribe(args),
          // A token that does not verify closes the socket with 4403 Forbidden; no token is anonymous.
          onConnect: async (ctx) => {
            const authorization = ctx.connectionParams?.authorization;
            if (authorization === undefined || authorization === null || authorization === '') return true;
            return resolveViewer(db, tokens, authorization).then(
              () => true,
              () => false,
            );
          },
          onSubscribe: async (ctx, _id, params) => {
            const {
              schema: envelopedSchema,
              execute,
              subscribe,
              contextFactory,
              parse,
              validate,
            } = yoga.getEnveloped({
              ...ctx,
              req: ctx.extra.request,
              // GraphiQL sends its Headers editor with each operation, not in connectionParams.
              authorization: operationAuthorization(params.extensions) ?? ctx.connectionParams?.authorization,
            });
            let contextValue: Awaited<ReturnType<typeof contextFactory>>;
            try {
              contextValue = await contextFactory();
            } catch (error) {
              // An operation's token that does not verify fails that operation, not the socket.
              if (error instanceof GraphQLError) return [error];
              throw error;
            }
            const args = {
              schema: envelopedSchema,
              operationName: params.operationName,
              document: parse(params.query),
              variableValues: params.variables,
              contextValue,
              rootValue: { execute, subscribe },
            };
            const errors = validate(args.schema, args.document);
            return errors.length > 0 ? errors : args;
          },
        },
        ws,
      );
      server = httpServer;
      wsServer = ws;
      disposeWs = async () => {
        await wsDisposable.dispose();
      };

      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, env.HOST, () => resolve());
      });
      const bound = (httpServer.address() as AddressInfo).port;
      const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
      const url = `http://${host}:${bound}`;
      logger.info(`GraphQL + GraphiQL: ${url}/graphql`);
      logger.info(`graphql-ws: ws://${host}:${bound}/graphql`);
      logger.info(`health: ${url}/health`);
      logger.info(`web app: ${url}/`);
      return { port: bound, url };
    },

    async stop() {
      const httpServer = server;
      server = undefined;
      if (httpServer) {
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await disposeWs?.();
        wsServer?.close();
        // In-flight requests get a grace period, then are cut.
        const grace = setTimeout(() => httpServer.closeAllConnections(), 10_000);
        await closed;
        clearTimeout(grace);
      }
      await coach?.stop();
      coach = undefined;
      await web?.close();
      web = undefined;
      await workers?.stop();
      workers = undefined;
      await jobQueue?.stop();
      jobQueue = undefined;
      await disconnectPubSub?.();
      disconnectPubSub = undefined;
      await rateLimitRedis?.quit();
      rateLimitRedis = undefined;
      if (ownsDatabase && database) {
        await database.close();
        database = undefined;
      }
    },
  };
}
