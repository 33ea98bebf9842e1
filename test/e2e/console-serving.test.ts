/** Serving /console (src/http/console.ts) without a browser: built and not-built directories. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, consoleUi } from '../../src/http/console.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function serve(root: string) {
  const app = Fastify();
  await app.register(consoleUi, { root });
  app.get('/api/ping', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('console serving', () => {
  it('answers 503 with how to build it when dist/console is missing', async () => {
    const app = await serve(path.join(tmpdir(), 'gh-no-console-here'));
    for (const url of ['/console', '/console/', '/console/users']) {
      const r = await app.inject({ url });
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toContain('text/plain');
      expect(r.body).toContain('npm run build');
    }
    expect((await app.inject({ url: '/api/ping' })).statusCode).toBe(200);
    await app.close();
  });

  it('serves index.html (no-cache) for app paths, hashed assets immutable, 404 for missing files', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gh-console-'));
    dirs.push(root);
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><script type="module" src="/console/assets/app-abc123.js"></script>');
    writeFileSync(path.join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
    const app = await serve(root);

    for (const url of ['/console', '/console/', '/console/operator/partners', '/console/profiles/12?x=1']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.body).toContain('app-abc123.js');
    }
    const js = await app.inject({ url: '/console/assets/app-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect((await app.inject({ url: '/console/assets/gone-1.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/console/favicon.ico' })).statusCode).toBe(404);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-(inline|eval)/);
    await app.close();
  });
});
