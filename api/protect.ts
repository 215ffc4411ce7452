/**
 * What protects the API before a resolver runs: query limits (aliases, tokens, directives
 * here; depth, breadth and complexity in the schema builder), per-user and per-IP rate
 * limits on mutations, CSRF prevention for browsers, and introspection when allowed. The
 * limits come from the environment (defaults in README).
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { RedisStore, useRateLimiter } from '@envelop/rate-limiter';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Context } from './context.js';
import type { Env } from './env.js';

/** Header a browser client sends with GraphQL GET requests (POSTs of JSON need none). */
export const CSRF_HEADER = 'x-graphql-csrf';

/** The operation's context as the plugins see it: yoga's server context (`req`) merged with ours. */
type ServedContext = Partial<Context> & { req?: IncomingMessage };

/** The client's network address: of the HTTP request, or of the WebSocket's upgrade request. */
function clientAddress(context: unknown): string {
  return `ip:${(context as ServedContext).req?.socket.remoteAddress ?? 'unknown'}`;
}

/** Who a request counts against: the signed-in user, else the client's address. */
function identify(context: unknown): string {
  const viewer = (context as ServedContext).viewer;
  return viewer ? `user:${viewer.userId}` : clientAddress(context);
}

/**
 * yoga's CSRF prevention, whose refusal names the header to send: the plugin's own message
 * ("Required CSRF header(s) not present") does not, and it has no option for one.
 */
function csrfPrevention(): Plugin {
  const check = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return check.onRequestParse?.(payload);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        // The same 403 GraphQL error response, with a message that says what to do.
        throw new GraphQLError(
          `Required CSRF header not present: send the header ${CSRF_HEADER} (any value) with GET requests and non-JSON POSTs.`,
          { extensions: error.extensions },
        );
      }
    },
  };
}

/** The plugins; with `redis`, rate-limit counts are shared by every API process. */
export function protectionPlugins(env: Env, options: { redis?: Redis } = {}): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      // graphql-armor lets aliases of `__typename` through by default (allowList): they count too.
      maxAliases: { n: env.GRAPHQL_MAX_ALIASES, allowList: [] },
      maxTokens: { n: env.GRAPHQL_MAX_TOKENS },
      maxDirectives: { n: env.GRAPHQL_MAX_DIRECTIVES },
      // Depth, breadth and cost are the schema builder's complexity limits.
      maxDepth: { enabled: false },
      costLimit: { enabled: false },
      // Integrators learn the API by trial too: keep "Did you mean…?" while introspection is on.
      blockFieldSuggestion: { enabled: !env.INTROSPECTION },
    }) as Plugin,
    csrfPrevention(),
    useRateLimiter({
      identifyFn: identify,
      ...(options.redis ? { store: new RedisStore(options.redis) } : {}),
      configByField: [
        {
          type: 'Mutation',
          field: '@(logIn|signUp)',
          max: env.RATE_LIMIT_AUTH_PER_MINUTE,
          window: '1m',
          identifyFn: clientAddress,
          message: 'Too many sign-in attempts from your address: try again in a minute.',
        },
        {
          type: 'Mutation',
          field: '!(logIn|signUp)',
          max: env.RATE_LIMIT_MUTATIONS_PER_MINUTE,
          window: '1m',
          message: 'Too many changes in a minute: slow down and try again shortly.',
        },
      ],
      transformError: (message) =>
        new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', http: { status: 429 } } }),
    }) as Plugin,
  ];
  if (!env.INTROSPECTION) plugins.push(useDisableIntrospection());
  return plugins;
}
