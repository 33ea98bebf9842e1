/**
 * The Sunbird mobile app's device onboarding end to end through a real nginx (issue 19): the app's
 * consumer token registers the device at `/v1/consumer/mobile_device/credential/register` (proxied
 * by nginx to Gatehouse, as Sunbird routes adminutil behind its gateway), the device signs HS256
 * with its own secret, and nginx's `auth_request` to /authz/api lets it through to the upstream as
 * `mobile_device`; re-registering refuses the old device token. The same with `/v2`: an RS256
 * token from the key pool, found by `kid`. Skipped with a message where nginx is missing locally.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { SecretBox } from '../../src/core/crypto/secret-box.js';
import { keyPoolOn } from '../../src/wiring/key-pool-cli.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { nginxUnavailableReason, startNginx, type NginxServer } from '../support/nginx.js';
import { adminToken, api } from '../support/rest.js';
import { createConsumer, createService, grant, sunbirdToken } from '../support/consumer.js';

const unavailable = nginxUnavailableReason();
const skip = unavailable !== undefined && !process.env.CI;
if (skip) console.warn(`[device flow nginx e2e] skipped: ${unavailable}`);

/** The README's snippet for /api/, and the consumer door proxied as it is. */
function servers(gatehouse: string, upstream: string): string {
  return `
  server {
    listen 127.0.0.1:$PORT;
    location = /_gatehouse_authz {
      internal;
      proxy_pass ${gatehouse}/authz/api;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Original-Method $request_method;
    }
    location /api/ {
      auth_request /_gatehouse_authz;
      auth_request_set $gh_consumer_username $upstream_http_x_consumer_username;
      auth_request_set $gh_credential $upstream_http_x_credential_identifier;
      proxy_set_header X-Consumer-Username $gh_consumer_username;
      proxy_set_header X-Credential-Identifier $gh_credential;
      proxy_set_header Authorization "";
      proxy_pass ${upstream};
    }
    location /v1/consumer/ { proxy_pass ${gatehouse}; }
    location /v2/consumer/ { proxy_pass ${gatehouse}; }
  }`;
}

for (const dialect of DIALECTS) {
  describe.skipIf(skip)(`mobile device onboarding through nginx [${dialect}]`, () => {
    let t: TestGatehouse;
    let nginx: NginxServer;
    let upstream: Server;
    let appToken: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'device-flow-nginx');
      upstream = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ url: req.url, headers: req.headers }));
      });
      await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
      nginx = await startNginx(servers(t.url, `http://127.0.0.1:${(upstream.address() as { port: number }).port}`));
      const p = await registerPartner(t);
      const admin = await adminToken(t, p);
      await createService(t, admin, { name: 'Content', routePrefix: '/api/content', allowedGroups: ['contentAccess'] });
      await createConsumer(t, admin, 'mobile_device');
      await grant(t, admin, 'mobile_device', ['contentAccess']);
      expect((await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { registrationGroup: 'deviceRegister' } })).status).toBe(200);
      const app = await createConsumer(t, admin, 'mobile_app');
      await grant(t, admin, 'mobile_app', ['deviceRegister']);
      appToken = sunbirdToken(app.key, app.secret);
      await keyPoolOn(t.store.db, new SecretBox(t.masterKey), t.clock, () => undefined).pool.add(p.id, 'mobile_device', 'mobile_devicev2_key1');
    });
    afterAll(async () => {
      await nginx?.stop();
      await new Promise((r) => upstream?.close(r));
      await t?.close();
    });

    const register = async (version: 1 | 2, key: string) => {
      const r = await fetch(`${nginx.url}/v${version}/consumer/mobile_device/credential/register`, {
        method: 'POST',
        headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'ekstep.api.am.adminutil.credential.register', ver: '1.0', params: { msgid: 'm' }, request: { key } }),
      });
      expect(r.status, nginx.errorLog()).toBe(200);
      return ((await r.json()) as { result: Record<string, string> }).result;
    };
    const content = (deviceToken: string) => fetch(`${nginx.url}/api/content/read/do_1`, { headers: { authorization: `Bearer ${deviceToken}` } });

    it('v1: app token → register → HS256 device token → upstream 200 as mobile_device; re-registration refuses the old token', async () => {
      const first = await register(1, 'device-7f3a');
      const oldToken = sunbirdToken('device-7f3a', first.secret as string);
      const r = await content(oldToken);
      expect(r.status, nginx.errorLog()).toBe(200);
      const seen = (await r.json()) as { headers: Record<string, string> };
      expect(seen.headers['x-consumer-username']).toBe('mobile_device');
      expect(seen.headers['x-credential-identifier']).toBe('device-7f3a');

      const second = await register(1, 'device-7f3a');
      expect((await content(oldToken)).status).toBe(401);
      expect((await content(sunbirdToken('device-7f3a', second.secret as string))).status).toBe(200);
    });

    it('v2: app token → register → RS256 token with the pool kid → upstream 200 as mobile_device', async () => {
      const { key, token } = await register(2, 'device-9b21');
      expect(key).toBe('device-9b21');
      expect(decodeProtectedHeader(token as string)).toMatchObject({ alg: 'RS256', kid: 'mobile_devicev2_key1' });
      const r = await content(token as string);
      expect(r.status, nginx.errorLog()).toBe(200);
      expect(((await r.json()) as { headers: Record<string, string> }).headers['x-consumer-username']).toBe('mobile_device');
      // A device without the app's token cannot register at all.
      const anon = await fetch(`${nginx.url}/v2/consumer/mobile_device/credential/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"request":{"key":"x"}}' });
      expect(anon.status).toBe(401);
    });
  });
}
