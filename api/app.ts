/**
 * The server: graphql-yoga over HTTP (POST/GET /graphql, GraphiQL), graphql-ws on the same
 * port and path, the web app, and GET /health. `buildApp()` prepares it; `start()` opens the
 * runtime (api/runtime.ts) and listens; `stop()` closes both, in reverse order.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import { seedDemoActivity } from '../prisma/seed/demo-activity.js';
import { seedDatabase } from '../prisma/seed/index.js';
import type { Viewer } from './auth/viewer.js';
import type { Context } from './context.js';
import { applyMigrations, migrationStatus } from './db/migrations.js';
import type { Database } from './db.js';
import type { Env } from './env.js';
import { AppError, expectedErrorCode } from './errors.js';
import { createGraphiQLAssets, GRAPHIQL_ASSETS_PATH, renderGraphiQL } from './graphiql.js';
import type { Logger } from './logger.js';
import { CSRF_HEADER, protectionPlugins } from './protect.js';
import { openRuntime, type PlanOverrides, planRuntime, type Runtime, type RuntimePlan } from './runtime.js';
import { loadViewer } from './services/accounts.js';
import { createAccessRecorder } from './services/audit.js';
import { schema } from './schema/index.js';
import { createWebApp, type WebApp } from './web.js';

/** A running (or ready to run) server. */
export interface App {
  /** Migrates, seeds if empty, opens the runtime and listens; resolves with the bound port. */
  start(port?: number): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish, closes the sockets and the runtime. */
  stop(): Promise<void>;
  /** The parts built from the configuration, before anything opens. */
  readonly plan: RuntimePlan;
  /** The open runtime (after `start`). */
  readonly runtime: Runtime;
}

export interface AppOptions extends PlanOverrides {
  env: Env;
  /** Use this database instead of opening the configured one; the caller closes it. */
  database?: Database;
}

/** What yoga is handed per operation: the HTTP request, or what graphql-ws knows of the socket. */
type ServerContext = {
  request?: Request;
  /** Node's request (HTTP), or the upgrade request of a WebSocket. */
  req?: IncomingMessage;
  /** The operation's own `authorization` (graphql-ws), to verify. */
  authorization?: unknown;
  /** Who the socket's connection token named, verified once when it connected (graphql-ws). */
  viewer?: Viewer | null;
};

/** The `Bearer` token's viewer; null without a token; an UNAUTHENTICATED error for a bad one. */
async function resolveViewer(runtime: Runtime, authorization: unknown): Promise<Viewer | null> {
  if (authorization === undefined || authorization === null || authorization === '') return null;
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  const identity = match?.[1] ? await runtime.tokens.verify(match[1]) : null;
  const viewer = identity ? await loadViewer(runtime.prisma, identity) : null;
  if (!viewer) {
    throw new GraphQLError('The access token is invalid or expired: sign in again.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return viewer;
}

/** The one context factory, for HTTP requests and graphql-ws operations alike. */
async function createContext(runtime: Runtime, served: ServerContext): Promise<Context> {
  const viewer =
    served.authorization === undefined && served.viewer !== undefined
      ? served.viewer
      : await resolveViewer(runtime, served.authorization ?? served.request?.headers.get('authorization'));
  return { viewer, access: createAccessRecorder(runtime.prisma, viewer), runtime };
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

/** yoga over the runtime: the schema, the protections, error masking and the context. */
function createGraphQLServer(runtime: Runtime): YogaServerInstance<ServerContext, Context> {
  const { env, logger } = runtime;
  return createYoga<ServerContext, Context>({
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
    plugins: protectionPlugins(env, { redis: runtime.rateLimitRedis }),
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
    context: (served) => createContext(runtime, served),
  });
}

/**
 * graphql-ws on `httpServer`, through yoga's envelope (the same plugins and context as HTTP).
 * A connection token is verified once, when the socket connects; an operation that carries
 * its own token (GraphiQL's headers) has that one verified instead.
 */
function serveGraphQLWs(httpServer: Server, yoga: YogaServerInstance<ServerContext, Context>, runtime: Runtime) {
  const ws = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint });
  ws.on('connection', coalesceWrites);
  type Enveloped = ReturnType<typeof yoga.getEnveloped>;
  /** Each operation's enveloped execute and subscribe, by its context (one per operation). */
  const envelopes = new WeakMap<object, Enveloped>();
  const envelopeOf = (args: ExecutionArgs): Enveloped => {
    const enveloped = envelopes.get(args.contextValue as object);
    if (!enveloped) throw new Error('graphql-ws: an operation without its envelope');
    return enveloped;
  };
  const disposable = useServer<Record<string, unknown> | undefined, { viewer: Viewer | null }>(
    {
      execute: (args) => envelopeOf(args).execute(args) as Promise<ExecutionResult>,
      subscribe: (args) => envelopeOf(args).subscribe(args) as Promise<ExecutionResult>,
      // A token that does not verify closes the socket with 4403 Forbidden; no token is anonymous.
      onConnect: async (ctx) => {
        try {
          ctx.extra.viewer = await resolveViewer(runtime, ctx.connectionParams?.authorization);
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({
          req: ctx.extra.request,
          // GraphiQL sends its Headers editor with each operation, not in connectionParams.
          authorization: operationAuthorization(params.extensions),
          viewer: ctx.extra.viewer ?? null,
        });
        let contextValue: Context;
        try {
          contextValue = await enveloped.contextFactory();
        } catch (error) {
          // An operation's token that does not verify fails that operation, not the socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        envelopes.set(contextValue, enveloped);
        const args = {
          schema: enveloped.schema,
          operationName: params.operationName,
          document: enveloped.parse(params.query),
          variableValues: params.variables,
          contextValue,
        };
        const errors = enveloped.validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
      },
    },
    ws,
  );
  return {
    async close() {
      await disposable.dispose();
      ws.close();
    },
  };
}

/** GET /health: the database's mode and whether its migrations are applied. */
async function health(runtime: Runtime, res: ServerResponse): Promise<void> {
  const { database } = runtime;
  let body: Record<string, unknown>;
  let status = 200;
  try {
    const migrations = await migrationStatus(database.adapterFactory);
    const upToDate = migrations.pending.length === 0;
    if (!upToDate) status = 503;
    body = {
      status: upToDate ? 'ok' : 'migrations-pending',
      database: { mode: database.mode, location: database.location },
      migrations: {
        upToDate,
        applied: migrations.applied.length,
        latest: migrations.applied.at(-1) ?? null,
        pending: migrations.pending,
      },
    };
  } catch (error) {
    status = 503;
    runtime.logger.error('health check failed', error);
    body = { status: 'database-unavailable', database: { mode: database.mode, location: database.location } };
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The HTTP server: health, GraphiQL's files, the web app, and the API. */
function createHttpServer(runtime: Runtime, yoga: YogaServerInstance<ServerContext, Context>, web: WebApp): Server {
  const { env } = runtime;
  const graphiqlAssets = env.GRAPHIQL ? createGraphiQLAssets() : undefined;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url?.split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/health') {
      void health(runtime, res);
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
      web.handle(req, res);
      return;
    }
    void yoga.requestListener(req, res);
  });
}

/** Brings the database's schema up to date, and (SEED_ON_START) seeds the demo content into an empty one. */
async function prepareDatabase(env: Env, database: Database, logger: Logger): Promise<void> {
  const { applied } = await applyMigrations(database.adapterFactory, {
    onProgress: (line) => logger.info(`migrate: ${line}`),
  });
  logger.info(applied.length > 0 ? `migrations applied: ${applied.length}` : 'migrations: up to date');
  if (env.SEED_ON_START && (await database.prisma.contentItem.count()) === 0) {
    logger.info('seeding an empty database…');
    const report = await seedDatabase(database.prisma, (line) => logger.info(`seed: ${line}`));
    if (env.SEED_DEMO_ACTIVITY) await seedDemoActivity(database.prisma, (line) => logger.info(`seed: ${line}`));
    logger.info(`seed: ${report.created} created`);
  }
}

/** What a started app holds, closed in reverse order by `stop()`. */
interface Running {
  runtime: Runtime;
  web: WebApp;
  httpServer: Server;
  ws: { close(): Promise<void> };
}

/** Builds the server without starting it: the runtime's configuration-only parts are built now. */
export function buildApp(options: AppOptions): App {
  const { env, database, ...overrides } = options;
  const plan = planRuntime(env, overrides);
  let running: Running | undefined;
  let opening: Promise<Runtime> | undefined;

  return {
    plan,
    get runtime() {
      if (!running) throw new Error('The app has not been started');
      return running.runtime;
    },

    async start(port = env.PORT) {
      if (running || opening) throw new Error('The app has already been started');
      opening = openRuntime(plan, {
        database,
        prepareDatabase: (database, logger) => prepareDatabase(env, database, logger),
      });
      const runtime = await opening;
      const logger: Logger = runtime.logger;
      const yoga = createGraphQLServer(runtime);
      const web = await createWebApp({ dev: env.WEB_DEV, logger }).catch(async (error: unknown) => {
        await runtime.close();
        throw error;
      });
      const httpServer = createHttpServer(runtime, yoga, web);
      const ws = serveGraphQLWs(httpServer, yoga, runtime);
      running = { runtime, web, httpServer, ws };
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
      // A start still opening is waited for, so that what it opens is closed too.
      const runtime = await opening?.catch(() => undefined);
      opening = undefined;
      const app = running;
      running = undefined;
      if (!app) {
        await runtime?.close();
        return;
      }
      const { httpServer } = app;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await app.ws.close();
      // In-flight requests get a grace period, then are cut.
      const grace = setTimeout(() => httpServer.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(grace);
      await app.web.close();
      await app.runtime.close();
    },
  };
}
