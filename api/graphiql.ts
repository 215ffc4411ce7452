/**
 * GraphiQL that works without the internet: yoga's own page loads its scripts, styles, editor
 * workers and favicon from unpkg and GitHub; this one loads the same built files
 * (@graphql-yoga/graphiql) from this server, under /graphiql/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { GraphiQLOptions } from 'graphql-yoga';
import sirv from 'sirv';

/** Where GraphiQL's files are served. */
export const GRAPHIQL_ASSETS_PATH = '/graphiql';

const DIST = join(dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')), 'dist');

/** Monaco asks for a worker by label; these are the ones the package builds (the double dot is its file name). */
const WORKERS = {
  editorWorkerService: `${GRAPHIQL_ASSETS_PATH}/monacoeditorwork/editor.worker.bundle.js`,
  json: `${GRAPHIQL_ASSETS_PATH}/monacoeditorwork/json.worker.bundle.js`,
  graphql: `${GRAPHIQL_ASSETS_PATH}/monacoeditorwork/graphql.worker..bundle.js`,
};

/** The GraphQL logo, so the tab has an icon without fetching one from elsewhere. */
const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><g fill="none" stroke="#e10098" stroke-width="5"><path d="M50 8 86.4 29v42L50 92 13.6 71V29z"/><path d="M50 8 86.4 71H13.6z"/></g><g fill="#e10098"><circle cx="50" cy="8" r="8"/><circle cx="86.4" cy="29" r="8"/><circle cx="86.4" cy="71" r="8"/><circle cx="50" cy="92" r="8"/><circle cx="13.6" cy="71" r="8"/><circle cx="13.6" cy="29" r="8"/></g></svg>`;

/** JSON that can sit inside a <script> element (no `</script>` can end it early). */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** yoga's `renderGraphiQL`: its page, with every URL on this server. */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const title = options.title ?? 'GraphiQL';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/svg+xml" href="${GRAPHIQL_ASSETS_PATH}/favicon.svg">
<link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="root">Loading ${escapeHtml(title)}…</div>
<script>
const workers = ${scriptJson(WORKERS)};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] ?? workers.editorWorkerService };
</script>
<script src="${GRAPHIQL_ASSETS_PATH}/yoga-graphiql.umd.js"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${scriptJson(options)});</script>
</body>
</html>`;
}

/** Serves GraphiQL's files; `next` answers paths it does not have. */
export function createGraphiQLAssets(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const files = sirv(DIST, { etag: true, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') });
  return (req, res, next) => {
    const path = req.url?.split('?')[0] ?? '';
    if (path === `${GRAPHIQL_ASSETS_PATH}/favicon.svg`) {
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
      res.end(req.method === 'HEAD' ? undefined : FAVICON);
      return;
    }
    // sirv serves from its root: strip the prefix, and restore it for whoever answers next.
    const original = req.url ?? '';
    req.url = original.slice(GRAPHIQL_ASSETS_PATH.length) || '/';
    files(req, res, () => {
      req.url = original;
      next();
    });
  };
}
