/**
 * End to end with a real nginx (Debian package) on every dialect: `auth_request /authz/delivery`
 * in front of a static origin, as the README configures it. nginx appends the peer to
 * X-Forwarded-For and Gatehouse trusts 127.0.0.1, so the address the test sends as
 * X-Forwarded-For (standing for a CDN in front of nginx) is the viewer's. Skipped with a message
 * when nginx is missing on a developer machine; a failure in CI (CI=true), where .ci/run installs it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { block, rule, strings } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { FR, startDeliveryWorld, US, type DeliveryWorld } from '../support/delivery.js';
import { kaltura } from '../support/gatehouse.js';
import { nginxUnavailableReason, startNginx, type NginxServer } from '../support/nginx.js';

const O = kaltura.objects;
const CONTENT = 'the media bytes\n';
const unavailable = nginxUnavailableReason();
const skip = unavailable !== undefined && process.env.CI !== 'true';
if (skip) console.warn(`[gatehouse tests] nginx end-to-end tests are skipped: ${unavailable}.`);

/** The README's nginx config, pointed at the test's Gatehouse and origin directory. */
function servers(gatehouse: string, originDir: string): string {
  return `
  server {
    listen 127.0.0.1:$PORT;
    location = /_gatehouse_delivery {
      internal;
      proxy_pass ${gatehouse}/authz/delivery;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Forwarded-Uri "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
    location /p/ {
      auth_request /_gatehouse_delivery;
      auth_request_set $gatehouse_user $upstream_http_x_gatehouse_user;
      auth_request_set $gatehouse_preview $upstream_http_x_gatehouse_preview;
      # The README proxies to the origin with these as request headers; a static origin echoes them back.
      add_header X-Viewer $gatehouse_user always;
      add_header X-Preview $gatehouse_preview always;
      root ${originDir};
      try_files /clip.mp4 =404;
    }
  }`;
}

for (const dialect of DIALECTS) {
  describe.skipIf(skip)(`nginx auth_request → /authz/delivery [${dialect}]`, () => {
    let w: DeliveryWorld;
    let nginx: NginxServer;
    let originDir: string;
    let geo: string;
    let subscribers: string;
    beforeAll(async () => {
      if (unavailable !== undefined) throw new Error(`CI=true requires nginx, but ${unavailable}`);
      w = await startDeliveryWorld(dialect, 'delivery-nginx', { env: { GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1' } });
      originDir = mkdtempSync(path.join(os.tmpdir(), 'gh-origin-'));
      writeFileSync(path.join(originDir, 'clip.mp4'), CONTENT);
      nginx = await startNginx(servers(w.t.url, originDir));
      geo = (await w.entryWith([rule({ conditions: [new O.CountryCondition({ not: true, values: strings('US') })], actions: [block()], message: 'US only' })])).entry.id;
      subscribers = (
        await w.entryWith([
          rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [new O.AccessControlPreviewAction({ limit: 30 })] }),
          rule({ conditions: [new O.UserAgentCondition({ values: strings('BadBot') })], actions: [block()] }),
        ])
      ).entry.id;
    });
    afterAll(async () => {
      await nginx?.stop();
      await w?.close();
      if (originDir) rmSync(originDir, { recursive: true, force: true });
    });

    const get = (pathAndQuery: string, headers: Record<string, string> = {}) => fetch(`${nginx.url}${pathAndQuery}`, { headers });

    it('an allowed viewer gets the origin file; a denied one gets 403 from nginx', async () => {
      const allowed = await get(w.playUrl(geo), { 'x-forwarded-for': US });
      expect(allowed.status, nginx.errorLog()).toBe(200);
      expect(await allowed.text()).toBe(CONTENT);
      const denied = await get(w.playUrl(geo), { 'x-forwarded-for': FR });
      expect(denied.status).toBe(403);
      expect(await denied.text()).not.toContain(CONTENT);
      // No forwarded address: the viewer is nginx's peer (loopback, no country) and is refused.
      expect((await get(w.playUrl(geo))).status).toBe(403);
      // A client cannot name another URI through Traefik's header: nginx blanks it.
      expect((await get(w.playUrl(geo), { 'x-forwarded-for': FR, 'x-forwarded-uri': w.playUrl(geo) })).status).toBe(403);
    });

    it('identity and preview headers reach the origin side; a bad KS is a 401 through nginx', async () => {
      const anonymous = await get(w.playUrl(subscribers), { 'x-forwarded-for': US });
      expect(anonymous.status).toBe(200);
      expect(anonymous.headers.get('x-preview')).toBe('30');
      const ks = await w.userKs('ana@uni.test', 'sview:*');
      const subscriber = await get(w.playUrl(subscribers, `/ks/${ks}/a.mp4`), { 'x-forwarded-for': US });
      expect(subscriber.status).toBe(200);
      expect(subscriber.headers.get('x-viewer')).toBe('ana@uni.test');
      expect(subscriber.headers.get('x-preview')).toBeNull();
      expect((await get(w.playUrl(subscribers, '/ks/djJ8bad/a.mp4'))).status).toBe(401);
      expect((await get(w.playUrl(subscribers), { 'user-agent': 'BadBot/1.0' })).status).toBe(403);
      expect((await get(w.playUrl('0_nosuch00'))).status).toBe(403);
    });
  });
}
