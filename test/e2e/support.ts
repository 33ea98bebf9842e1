/**
 * End-to-end support: builds the console when `dist/console` is missing or older than its
 * sources, and drives Debian's Chromium through playwright-core (no browser download).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONSOLE_OUT = path.join(REPO, 'dist', 'console');
export const SCREENSHOTS = path.join(REPO, 'test', 'e2e', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';

/** Chromium flags for a sandboxless container with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/** Builds the console unless `dist/console/index.html` is newer than every source file. */
export function ensureConsoleBuilt(): { built: boolean; ms: number } {
  const t0 = Date.now();
  const index = path.join(CONSOLE_OUT, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(REPO, 'console', 'src')),
    newestMtime(path.join(REPO, 'console', 'index.html')),
    newestMtime(path.join(REPO, 'console', 'vite.config.ts')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return { built: false, ms: 0 };
  // Build next to the old one and swap, so Gatehouses started meanwhile by other test files see a
  // whole build or none (then /console answers 503), never half of one.
  const staging = path.join(REPO, 'dist', `.console-build-${process.pid}`);
  execFileSync(
    process.execPath,
    [path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'console/vite.config.ts', '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: REPO,
      // Vitest sets NODE_ENV=test; the console is built as for production (React's production build).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 120_000,
    },
  );
  rmSync(CONSOLE_OUT, { recursive: true, force: true });
  renameSync(staging, CONSOLE_OUT);
  return { built: true, ms: Date.now() - t0 };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh Chromium profile at 1366×768, the laptop screen the console must fit. */
export async function openBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'gh-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test/e2e/screenshots/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

let axeSource: string | undefined;

/**
 * WCAG 2.1 A/AA violations on the page as it is now (axe-core: labels, names, contrast, ARIA), plus
 * sideways scrolling at the window's width. Evaluated through the DevTools protocol, so the page's
 * CSP does not apply to the checker.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const run = `${axeSource}
    ;axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations.map((v) => v.id + ': ' + v.help + ' [' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ') + ']'))`;
  const violations = (await page.evaluate(run)) as string[];
  // Usable on a 1366×768 laptop: nothing may make the page scroll sideways.
  const [scroll, client] = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as [number, number];
  if (scroll > client) violations.push(`layout: the page is ${scroll}px wide in a ${client}px window`);
  return violations;
}

/** Signs in through the form, starting signed out whatever the previous test left behind. */
export async function consoleSignIn(page: Page, baseUrl: string, login: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.evaluate('sessionStorage.clear()');
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor();
  await page.getByLabel('Login id (email)').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The header's "Sign out", back on the sign-in page. */
export async function consoleSignOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor();
}
