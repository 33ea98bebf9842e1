/**
 * The kmc-ng harness (issue 20): Kaltura's own admin console, built elsewhere
 * (`../shared/clients/kmc-ng/dist`), served on loopback by a small static server with the
 * single-page fallback and a generated `server-config.json` pointing at a test Gatehouse, driven in
 * Chromium. A recorder reads every `/api_v3` answer the page gets and keeps each
 * KalturaAPIException; a step names the codes it expects, anything else fails the test.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { CHROMIUM, REPO, SCREENSHOTS } from '../support.js';

/** The build, located next to the repository (`../shared/clients/kmc-ng`). */
export const KMC_NG = path.resolve(REPO, '..', 'shared', 'clients', 'kmc-ng');
export const KMC_NG_DIST = path.join(KMC_NG, 'dist');

/** Why the suite cannot run here, or undefined when it can. */
export function kmcNgMissing(): string | undefined {
  if (!existsSync(path.join(KMC_NG_DIST, 'index.html'))) return `kmc-ng e2e skipped: no build at ${KMC_NG_DIST}`;
  return undefined;
}

/**
 * Why a kmc-ng suite skips here, printed once as its one line; undefined when it runs. CI installs
 * Chromium, so only a missing build skips there.
 */
export function kmcNgSkip(): string | undefined {
  const why = kmcNgMissing() ?? (existsSync(CHROMIUM) || process.env.CI ? undefined : `kmc-ng e2e skipped: no Chromium at ${CHROMIUM}`);
  if (why) console.log(why);
  return why;
}

/** kmc-ng's login form. */
export const loginForm = (page: Page) => page.locator('form.kLoginForm');

/** Opens kmc-ng's login form at `kmcUrl`, fills the e-mail and password and submits. */
export async function signIn(page: Page, kmcUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${kmcUrl}/`);
  await fillLogin(page, email, password);
  await loginForm(page).locator('button').first().click();
}

/** Fills the login form already on screen (a suite that submits it itself). */
export async function fillLogin(page: Page, email: string, password: string): Promise<void> {
  const form = loginForm(page);
  await form.waitFor();
  await form.locator('input[pinputtext]').first().fill(email);
  await form.locator('input[type=password]').fill(password);
}

/** Picks `option` in the PrimeNG dropdown `dropdown` (both PrimeNG class generations). */
export async function choose(page: Page, dropdown: ReturnType<Page['locator']>, option: string | RegExp): Promise<void> {
  await dropdown.click();
  await page.locator('.ui-dropdown-items li, .p-dropdown-items li').filter({ hasText: option }).first().click();
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export interface KmcNgServer {
  url: string;
  close(): Promise<void>;
}

/** The example configuration with Gatehouse's host put in (kmc-ng adds the page's own scheme). */
export function serverConfig(gatehouseUrl: string): string {
  const base = JSON.parse(readFileSync(path.join(KMC_NG, 'server-config.example.json'), 'utf8'));
  const u = new URL(gatehouseUrl);
  base.kalturaServer.uri = u.host;
  base.cdnServers = { serverUri: u.origin, securedServerUri: u.origin };
  return JSON.stringify(base);
}

/** Serves dist/ with the single-page fallback; `server-config.json` is generated, never read from disk. */
export async function serveKmcNg(gatehouseUrl: string): Promise<KmcNgServer> {
  const config = serverConfig(gatehouseUrl);
  const root = KMC_NG_DIST;
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname === '/server-config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }).end(config);
      return;
    }
    let file = path.join(root, path.normalize(pathname));
    // Outside the build, a directory or a route of the app: the app's index.html.
    if (!file.startsWith(root + path.sep) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ApiCall {
  service: string;
  action: string;
  /** The exception's code, when the answer (or a multirequest part) was one. */
  error?: string;
  message?: string;
}

/**
 * Records every `/api_v3` answer the page receives. `expect(codes)` lets the next exceptions with
 * these codes through (for a step that provokes one on purpose); `unexpected()` lists the others.
 */
export class ApiRecorder {
  readonly calls: ApiCall[] = [];
  private readonly allowed = new Set<string>();
  private readonly pending = new Set<Promise<void>>();

  attach(page: Page): void {
    page.on('response', (r) => {
      if (!r.url().includes('/api_v3/')) return;
      const p = this.read(r).finally(() => this.pending.delete(p));
      this.pending.add(p);
    });
  }

  private async read(r: Response): Promise<void> {
    if (r.request().method() === 'OPTIONS') return;
    const u = new URL(r.url());
    const m = /\/service\/([^/]+)(?:\/action\/([^/?]+))?/.exec(u.pathname);
    const service = m?.[1] ?? u.searchParams.get('service') ?? '?';
    const action = m?.[2] ?? u.searchParams.get('action') ?? '';
    let text: string;
    try {
      text = await r.text();
    } catch {
      // The page went elsewhere before the body was read (kmc-ng reloads after a change of
      // account): the call was made, nothing was shown from its answer.
      this.calls.push({ service, action });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.calls.push({ service, action, error: `HTTP ${r.status()} not JSON` });
      return;
    }
    if (service === 'multirequest' && Array.isArray(body)) {
      let req: Record<string, { service?: string; action?: string }> = {};
      try {
        req = JSON.parse(r.request().postData() ?? '{}');
      } catch {
        /* a form-encoded multirequest: parts are named by index only */
      }
      // kmc-ng numbers the parts from 0, Kaltura's own clients from 1.
      const first = req['0'] ? 0 : 1;
      body.forEach((part, i) => {
        const named = req[String(i + first)];
        this.calls.push({ service: named?.service ?? 'multirequest', action: named?.action ?? String(i + first), ...exception(part) });
      });
    } else {
      this.calls.push({ service, action, ...exception(body) });
    }
  }

  /** Lets exceptions with these codes through from now on (until `reset`). */
  allow(...codes: string[]): void {
    for (const c of codes) this.allowed.add(c);
  }

  /** Waits for answers still being read. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Exceptions no step allowed, as `service.action: CODE message`. */
  async unexpected(): Promise<string[]> {
    await this.settle();
    return this.calls.filter((c) => c.error && !this.allowed.has(c.error)).map((c) => `${c.service}.${c.action}: ${c.error} ${c.message ?? ''}`);
  }

  /** Forgets what was recorded and allowed (between steps). */
  reset(): void {
    this.calls.length = 0;
    this.allowed.clear();
  }

  /** Names of the calls made, `service.action` in lower case, in order. */
  names(): string[] {
    return this.calls.map((c) => `${c.service}.${c.action}`.toLowerCase());
  }
}

function exception(v: unknown): { error?: string; message?: string } {
  const o = v as { objectType?: string; code?: string; message?: string } | null;
  if (o && o.objectType === 'KalturaAPIException') return { error: o.code ?? '?', message: o.message ?? '' };
  return {};
}

export const KMC_SCREENSHOTS = path.join(SCREENSHOTS, 'kmc-ng');

/** Saves test/e2e/screenshots/kmc-ng/<name>.png (git-ignored). */
export async function kmcScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(KMC_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(KMC_SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** kmc-ng's error surfaces: area blockers ("Failed to prepare view"), error dialogs and toasts. */
const ERROR_SELECTORS = ['.kAreaBlockerMessage', 'k-area-blocker .kErrorMessage', '.ui-dialog .kErrorMessage', '.ui-growl-message-error', '.ui-toast-message-error'];

/** Text of kmc-ng's error messages visible on screen now. Evaluated as a string: no DOM types here. */
export async function errorDialogs(page: Page): Promise<string[]> {
  const run = `(() => {
    const out = [];
    for (const s of ${JSON.stringify(ERROR_SELECTORS)}) {
      for (const el of document.querySelectorAll(s)) {
        if (el.offsetParent !== null && el.innerText.trim()) out.push(el.innerText.trim().replace(/\\s+/g, ' '));
      }
    }
    return out;
  })()`;
  return (await page.evaluate(run)) as string[];
}
