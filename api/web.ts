/**
 * The web app on the API's own port: client/dist's built files (with index.html for every
 * app route), or, with WEB_DEV, Vite's dev server with hot reload.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import type { Logger } from './logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../client/dist', import.meta.url));

/** Serves the web app's requests. */
export interface WebApp {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

export async function createWebApp(options: { dev: boolean; logger: Logger }): Promise<WebApp> {
  const notFound = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  if (options.dev) {
    const { createServer } = await import('vite');
    const vite = await createServer({
      configFile: `${ROOT}vite.config.ts`,
      server: { middlewareMode: true },
      appType: 'spa',
    });
    options.logger.info('web app: Vite dev server (hot reload)');
    return {
      handle: (req, res) => vite.middlewares(req, res, () => notFound(res, 404, 'Not found')),
      close: () => vite.close(),
    };
  }
  if (!existsSync(`${DIST}/index.html`)) {
    options.logger.warn('web app: client/dist is missing; run `npm run build`');
    return {
      handle: (_req, res) => notFound(res, 503, 'The web app is not built: run `npm run build`.'),
      close: async () => {},
    };
  }
  // Hashed assets are immutable; index.html is revalidated so a new build shows at once.
  const files = sirv(DIST, {
    single: true,
    etag: true,
    setHeaders: (res, path) =>
      res.setHeader('cache-control', path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  return {
    handle: (req, res) => files(req, res, () => notFound(res, 404, 'Not found')),
    close: async () => {},
  };
}
