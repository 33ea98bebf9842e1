/**
 * Serves the built console (`npm run build` → `dist/console/`) at `/console`: hashed assets with an
 * immutable cache, `index.html` with no-cache for every other `/console/*` path (the single-page
 * app routes itself), and a strict Content-Security-Policy. When the console was not built (tests
 * running from sources) `/console` answers 503 with a sentence saying how to build it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface ConsoleOptions {
  /** The directory holding the built console; default `dist/console` of this package. */
  root?: string;
}

/**
 * The console's only scripts and styles are the bundle's own files: no inline script or style, no
 * eval, no third-party origin. `connect-src 'self'` keeps its API calls on this server, and
 * `frame-ancestors 'none'` stops it from being framed (clickjacking).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT = 'The Gatehouse console has not been built. Run `npm run build` (or `npm start`, which builds first), then reload /console.\n';

/** `dist/console` next to this package's package.json (works from `src/` and from `dist/src/`). */
export function defaultConsoleRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'console');
    dir = path.dirname(dir);
  }
  return path.resolve('dist', 'console');
}

/** Register with `app.register` (no prefix): the routes are `/console`, `/console/` and `/console/*`. */
export async function consoleUi(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const root = opts.root ?? defaultConsoleRoot();
  const indexPath = path.join(root, 'index.html');

  // Read once: the build is immutable while the server runs (a rebuild needs a restart). A build
  // being replaced at this very moment counts as not built rather than failing the start-up.
  let indexHtml: Buffer | undefined;
  try {
    indexHtml = existsSync(indexPath) ? readFileSync(indexPath) : undefined;
  } catch {
    indexHtml = undefined;
  }
  if (!indexHtml) {
    const notBuilt = (_req: unknown, reply: FastifyReply) => reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
    app.get('/console', notBuilt);
    app.get('/console/*', notBuilt);
    return;
  }
  const shell = indexHtml;
  const sendIndex = (_req: unknown, reply: FastifyReply) =>
    reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(shell);

  // Every answer of this (encapsulated) plugin carries the security headers, static files included.
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  await app.register(fastifyStatic, {
    root,
    prefix: '/console/',
    // One route per built file, found at start-up; anything else falls through to the app shell.
    wildcard: false,
    index: false,
    decorateReply: false,
    cacheControl: false,
    setHeaders: (res, filePath) => {
      // Vite puts content-hashed names under assets/: safe to cache forever.
      const hashed = path.relative(root, filePath).split(path.sep)[0] === 'assets';
      res.setHeader('cache-control', hashed ? IMMUTABLE : 'no-cache');
    },
  });

  app.get('/console', sendIndex);
  app.get('/console/', sendIndex);
  app.get('/console/*', (req, reply) => {
    // A missing asset is a 404, never the HTML shell (a browser would try to run it as a script).
    const p = req.url.split('?')[0] ?? '';
    if (p.startsWith('/console/assets/') || /\.[a-z0-9]{1,8}$/i.test(p)) {
      return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('Not found\n');
    }
    return sendIndex(req, reply);
  });
}
