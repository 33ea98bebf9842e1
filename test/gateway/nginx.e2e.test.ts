/**
 * End to end with a real nginx: `auth_request` to /authz/api in front of an upstream that echoes
 * what it receives. Checks what the README's snippet promises: 200s reach the upstream with the
 * identity headers (client-forged ones overwritten, the credential stripped), 401/403 stop at
 * nginx with Gatehouse's status, and a 429 (which auth_request would turn into a 500) comes back
 * as 429 with Retry-After through the `error_page` recipe. Skipped with a message where nginx is
 * missing locally; in CI (.ci/run installs nginx) a missing nginx fails the run.
 */
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { nginxUnavailableReason, startNginx, type NginxServer } from '../support/nginx.js';
import { adminToken, createKey } from '../support/rest.js';
import { createConsumer, createService, grant, sunbirdToken } from '../support/consumer.js';

const unavailable = nginxUnavailableReason();
const skip = unavailable !== undefined && !process.env.CI;
if (skip) console.warn(`[gateway nginx e2e] skipped: ${unavailable}`);

/** The README's nginx snippet, pointed at this test's Gatehouse and upstream. */
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
      proxy_set_header X-Forwarded-Uri "";
      proxy_set_header X-Forwarded-Method "";
    }
    location /api/ {
      auth_request /_gatehouse_authz;
      auth_request_set $gh_consumer_id $upstream_http_x_consumer_id;
      auth_request_set $gh_consumer_username $upstream_http_x_consumer_username;
      auth_request_set $gh_credential $upstream_http_x_credential_identifier;
      auth_request_set $gh_groups $upstream_http_x_consumer_groups;
      auth_request_set $gh_status $upstream_status;
      auth_request_set $gh_retry_after $upstream_http_retry_after;
      error_page 500 = @gatehouse_error;
      proxy_set_header X-Consumer-ID $gh_consumer_id;
      proxy_set_header X-Consumer-Username $gh_consumer_username;
      proxy_set_header X-Credential-Identifier $gh_credential;
      proxy_set_header X-Consumer-Groups $gh_groups;
      proxy_set_header Authorization "";
      proxy_set_header X-API-Key "";
      proxy_pass ${upstream};
    }
    location @gatehouse_error {
      default_type application/json;
      if ($gh_status = 429) {
        add_header Retry-After $gh_retry_after always;
        return 429 '{"message":"API rate limit exceeded"}';
      }
      return 500;
    }
  }`;
}

for (const dialect of DIALECTS) {
  describe.skipIf(skip)(`nginx auth_request → /authz/api → upstream [${dialect}]`, () => {
    let t: TestGatehouse;
    let nginx: NginxServer;
    let upstream: Server;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-nginx', { env: { GATEHOUSE_GATEWAY_RATE_LIMIT: '5' } });
      upstream = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ url: req.url, method: req.method, headers: req.headers }));
      });
      await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
      const port = (upstream.address() as { port: number }).port;
      nginx = await startNginx(servers(t.url, `http://127.0.0.1:${port}`));
      token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'Content', routePrefix: '/api/content', allowedGroups: ['contentUser'] });
      await createService(t, token, { name: 'Admin', routePrefix: '/api/admin', allowedGroups: ['contentAdmin'] });
    });
    afterAll(async () => {
      await nginx?.stop();
      await new Promise((r) => upstream?.close(r));
      await t?.close();
    });

    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${nginx.url}${path}`, { method, headers });
    /** The path exactly as written (fetch would resolve `..` and `%2e%2e` before sending). */
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${nginx.url}/`, { path, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });

    it('a consumer JWT reaches the upstream with identity headers; forged ones and the credential are replaced', async () => {
      const c = await createConsumer(t, token, 'mobile_device');
      await grant(t, token, 'mobile_device', ['contentUser']);
      const r = await get('/api/content/read/do_1?fields=name', { authorization: `Bearer ${sunbirdToken(c.key, c.secret)}`, 'x-consumer-username': 'admin', 'x-consumer-groups': 'contentAdmin' }, 'POST');
      expect(r.status, nginx.errorLog()).toBe(200);
      const seen = (await r.json()) as { url: string; method: string; headers: Record<string, string> };
      expect(seen).toMatchObject({ url: '/api/content/read/do_1?fields=name', method: 'POST' });
      expect(seen.headers).toMatchObject({ 'x-consumer-username': 'mobile_device', 'x-consumer-groups': 'contentUser', 'x-credential-identifier': c.key });
      expect(seen.headers['x-consumer-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen.headers.authorization).toBeUndefined();
    });

    it('401 and 403 stop at nginx; path tricks and a forged X-Forwarded-Uri do not get past', async () => {
      const c = await createConsumer(t, token, 'reader');
      await grant(t, token, 'reader', ['contentUser']);
      const auth = { authorization: `Bearer ${sunbirdToken(c.key, c.secret)}` };
      expect((await get('/api/content/x')).status).toBe(401);
      expect((await get('/api/content/x', { authorization: `Bearer ${sunbirdToken(c.key, 'wrong')}` })).status).toBe(401);
      expect((await get('/api/admin/purge', auth)).status).toBe(403);
      expect(await raw('/api/content/x', auth)).toBe(200);
      expect(await raw('/api/content/../admin/purge', auth)).toBe(403);
      expect(await raw('/api/content/%2e%2e/admin/purge', auth)).toBe(403);
      expect(await raw('/api/content//..//admin/purge', auth)).toBe(403);
      expect((await get('/api/admin/purge', { ...auth, 'x-forwarded-uri': '/api/content/x' })).status).toBe(403);
      expect((await get('/api/admin/purge', { ...auth, 'x-original-uri': '/api/content/x' })).status).toBe(403);
    });

    it('an API key in the header or the query; 429 with Retry-After through error_page', async () => {
      const key = await createKey(t, token);
      const viaQuery = await get(`/api/content/x?key=${key}`);
      expect(viaQuery.status).toBe(200);
      const seen = (await viaQuery.json()) as { headers: Record<string, string> };
      expect(seen.headers['x-consumer-username']).toMatch(/^apikey:/);
      for (let i = 0; i < 4; i++) expect((await get('/api/content/x', { 'x-api-key': key })).status).toBe(200);
      const limited = await get('/api/content/x', { 'x-api-key': key });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.json()).toEqual({ message: 'API rate limit exceeded' });
    });
  });
}
