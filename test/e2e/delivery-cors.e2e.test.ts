/**
 * CORS on the delivery URLs in a real browser (Debian's Chromium through playwright-core): three
 * loopback origins on their own ports — a player page, Gatehouse, and a static "CDN" that sends
 * its own CORS and serves a manifest. From the page, script fetches an allowed playManifest URL
 * (the 302 is followed to the CDN) and reads the manifest; reads the JSON message and the exposed
 * reason of a 403; gets through a preflight; and fails once the partner's deliveryAllowedOrigins
 * names another origin, until it names the page's.
 */
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { block, rule } from '../support/access-control.js';
import { operatorToken } from '../support/console.js';
import { counter, startDeliveryWorld, type DeliveryWorld } from '../support/delivery.js';
import { api } from '../support/rest.js';
import { CHROMIUM, openBrowser, type Browser } from './support.js';

// Locally a machine without Chromium skips; CI installs it (.ci/run) and must run these.
const skip = !existsSync(CHROMIUM) && !process.env.CI;

const MANIFEST = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow/index.m3u8\n';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What the page's script saw: the answer, or the error a CORS failure is. */
type Seen = { ok: true; status: number; url: string; redirected: boolean; text: string; reason: string | null } | { ok: false; error: string };

/** Fetches `url` from the page's script, as a player does. */
function fetchInPage(page: Page, url: string, headers: Record<string, string> = {}): Promise<Seen> {
  return page.evaluate(
    async ([u, h]) => {
      try {
        const r = await fetch(u, { headers: h });
        return { ok: true as const, status: r.status, url: r.url, redirected: r.redirected, text: await r.text(), reason: r.headers.get('x-gatehouse-reason') };
      } catch (e) {
        return { ok: false as const, error: String(e) };
      }
    },
    [url, headers] as const,
  );
}

describe.skipIf(skip)('delivery CORS in Chromium', () => {
  let w: DeliveryWorld;
  let b: Browser;
  let page: Page;
  let cdn: Server;
  let site: Server;
  let cdnUrl = '';
  let siteUrl = '';
  let op = '';
  const cdnSeen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    // The CDN: its own CORS (`*`: after a cross-origin redirect the browser sends `Origin: null`).
    cdn = createServer((req, res) => {
      cdnSeen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'range, cache-control', 'access-control-allow-methods': 'GET, HEAD' };
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      res.writeHead(200, { ...cors, 'content-type': 'application/vnd.apple.mpegurl' }).end(MANIFEST);
    });
    cdnUrl = await listen(cdn);
    // The player's page, on an origin of its own.
    site = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>player</title><p>player</p>'));
    siteUrl = await listen(site);
    w = await startDeliveryWorld('sqlite', 'e2e-delivery-cors', { env: { GATEHOUSE_DELIVERY_ORIGIN: `${cdnUrl}/media` } });
    op = await operatorToken(w.t);
    b = await openBrowser();
    page = b.page;
    await page.goto(`${siteUrl}/`);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await w?.close();
    await new Promise((r) => cdn?.close(r));
    await new Promise((r) => site?.close(r));
  });

  const setOrigins = async (origins: string[]) => {
    const r = await api(w.t, 'PATCH', `/api/partners/${w.p.id}`, { token: op, body: { settings: { deliveryAllowedOrigins: origins } } });
    expect(r.status, r.text).toBe(200);
  };
  const manifestUrl = (entryId: string, ks?: string) => `${w.t.url}${w.playUrl(entryId, `${ks ? `/ks/${ks}` : ''}/format/applehttp/protocol/http/a.m3u8`)}`;

  it('three origins: the page, Gatehouse and the CDN differ', () => {
    expect(new Set([new URL(siteUrl).origin, new URL(w.t.url).origin, new URL(cdnUrl).origin]).size).toBe(3);
  });

  it('the page reads an allowed manifest through the redirect to the CDN (by default, any origin)', async () => {
    const { entry } = await w.entryWith([]);
    const seen = await fetchInPage(page, manifestUrl(entry.id));
    expect(seen).toMatchObject({ ok: true, status: 200, redirected: true, text: MANIFEST });
    const url = new URL((seen as { url: string }).url);
    expect(url.origin).toBe(cdnUrl);
    expect(url.pathname).toBe(`/media/p/${w.p.id}/sp/${w.p.id}00/playManifest/entryId/${entry.id}/format/applehttp/protocol/http/a.m3u8`);
    expect(url.searchParams.get('gh_token')).toBeTruthy();
    // The browser told Gatehouse's redirect target nothing about the page (Origin is null after a cross-origin redirect).
    expect(cdnSeen.at(-1)?.headers.origin).toBe('null');
  });

  it('the page reads the JSON message and the reason of a 403', async () => {
    const { entry } = await w.entryWith([rule({ actions: [block()], message: 'Content not available in your region', code: 'GEO' })]);
    const seen = await fetchInPage(page, manifestUrl(entry.id));
    expect(seen).toMatchObject({ ok: true, status: 403, reason: 'blocked' });
    expect(JSON.parse((seen as { text: string }).text)).toEqual({ status: 403, reason: 'blocked', message: 'Content not available in your region', code: 'GEO' });
    const invalid = await fetchInPage(page, manifestUrl(entry.id, 'not-a-ks'));
    expect(invalid).toMatchObject({ ok: true, status: 401, reason: 'invalid_session' });
  });

  it('a request that needs a preflight gets through it, to the manifest', async () => {
    const { entry } = await w.entryWith([]);
    const before = cdnSeen.length;
    const preflights = () => counter(w.t, 'gatehouse_http_requests_total{method="OPTIONS",route="/p/*",status="204"}');
    const asked = await preflights();
    // Cache-Control is not a CORS-safelisted request header: Chromium asks Gatehouse first.
    const seen = await fetchInPage(page, manifestUrl(entry.id), { 'Cache-Control': 'no-cache' });
    expect(seen).toMatchObject({ ok: true, status: 200, text: MANIFEST });
    expect(await preflights()).toBe(asked + 1);
    expect(cdnSeen.slice(before).map((r) => r.method)).toEqual(['OPTIONS', 'GET']);
  });

  it("with deliveryAllowedOrigins naming another origin the page's fetch fails; naming the page's, it works", async () => {
    const { entry } = await w.entryWith([]);
    const { entry: closed } = await w.entryWith([rule({ actions: [block()], message: 'Nope' })]);
    await setOrigins(['https://lms.example.edu']);
    try {
      const before = cdnSeen.length;
      const seen = await fetchInPage(page, manifestUrl(entry.id));
      expect(seen.ok).toBe(false);
      expect((seen as { error: string }).error).toMatch(/TypeError: Failed to fetch/);
      // The browser stopped at Gatehouse's 302: the CDN was never asked.
      expect(cdnSeen.length).toBe(before);
      expect((await fetchInPage(page, manifestUrl(closed.id))).ok).toBe(false);
      // The same URL outside a browser is answered as before: the list binds browsers' scripts only.
      expect((await fetch(manifestUrl(entry.id), { redirect: 'manual' })).status).toBe(302);

      await setOrigins(['https://lms.example.edu', siteUrl]);
      expect(await fetchInPage(page, manifestUrl(entry.id))).toMatchObject({ ok: true, status: 200, text: MANIFEST });
      const denied = await fetchInPage(page, manifestUrl(closed.id));
      expect(denied).toMatchObject({ ok: true, status: 403, reason: 'blocked' });
      expect(JSON.parse((denied as { text: string }).text).message).toBe('Nope');
    } finally {
      await setOrigins([]);
    }
  });

  it('the preflight answer over plain HTTP', async () => {
    const { entry } = await w.entryWith([]);
    const url = new URL(manifestUrl(entry.id));
    const answer = await new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'OPTIONS', headers: { origin: siteUrl, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range, x-custom' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({ 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': 'range', 'access-control-max-age': '7200' });
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
