/**
 * The urql client for the API: queries and mutations over HTTP, subscriptions over
 * graphql-ws on the same URL, with the access token read for every request.
 */
import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

/** Header the API requires on GraphQL GET requests, against cross-site request forgery. */
export const CSRF_HEADER = 'x-graphql-csrf';

/** Where the API lives and how to get the current token. */
export interface ApiClientOptions {
  /** HTTP URL of the GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Returns the current access token, or null when signed out. */
  getToken?: () => string | null;
  /** WebSocket implementation for Node (browsers have one). */
  webSocketImpl?: unknown;
}

/** Creates a urql client; `dispose()` closes its WebSocket. */
export function createApiClient(options: ApiClientOptions): { client: Client; dispose: () => Promise<void> } {
  const getToken = options.getToken ?? (() => null);
  const ws = createWsClient({
    url: options.url.replace(/^http/, 'ws'),
    webSocketImpl: options.webSocketImpl,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const client = new Client({
    url: options.url,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
    fetchOptions: (): RequestInit => {
      const token = getToken();
      // urql sends queries as GET when they fit in a URL: those need the CSRF header.
      const headers: Record<string, string> = {
        [CSRF_HEADER]: '1',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      return { headers };
    },
  });
  return { client, dispose: () => ws.dispose() as Promise<void> };
}
