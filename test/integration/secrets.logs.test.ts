/**
 * No secret reaches the logs, at `debug`, through any door, in any form a parameter can take
 * (ASVS 16.2.5; issue 15, point 7). Every secret Gatehouse knows of — passwords, partner secrets,
 * KS strings, app-token values and hashes, access tokens, API keys, consumer secrets and JWTs, the
 * delivery token — is sent through the Kaltura door (the official client, and raw HTTP as query
 * string, path pairs, multirequest prefixes, nested names, JSON and form bodies), the REST door,
 * the consumer door, /authz/api and the delivery URLs and /authz/delivery, over the socket and
 * through Fastify; then the whole captured output is searched for each value, raw and
 * percent-encoded. One redaction list (src/http/logger.ts) is what makes this hold.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { captureLogs } from '../support/logs.js';
import { ADMIN_PASSWORD, adminKs, client, kaltura, operatorKs, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey } from '../support/rest.js';
import { createConsumer, createService, grant, sunbird, sunbirdToken } from '../support/consumer.js';

const enc = encodeURIComponent;
/** Secrets no server ever issued, one per name an attacker would try, each a unique marker. */
const MARKERS = {
  access_token: 'marker-access-token-7b1f',
  api_key: 'marker-api-key-29c4',
  apikey: 'marker-apikey-d03e',
  refresh_token: 'marker-refresh-token-5a66',
  client_secret: 'marker-client-secret-41d0',
  jwt: 'marker-jwt-8e2b',
  otp: 'marker-otp-3391',
  kalsig: 'marker-kalsig-c7d5',
  hashes: 'marker-hash-value-0f9a',
  gh_token: 'marker-gh-token-6b28',
  newPassword: 'marker-new-password-12ce',
  cookie: 'marker-cookie-value-9d47',
  Authorization: 'marker-authorization-a83c',
  'X-Api-Key': 'marker-x-api-key-e55f',
} as const;

for (const dialect of DIALECTS) {
  describe(`no secret in any log line, at debug, through any door [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    const { logger, chunks } = captureLogs('debug');
    /** Every secret sent, by what it is. */
    const secrets = new Map<string, string>();
    const keep = (label: string, value: string) => {
      secrets.set(label, value);
      return value;
    };

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'secrets-logs', { logger, env: { GATEHOUSE_DELIVERY_ORIGIN: 'https://cdn.example.test/media' } });
      p = await registerPartner(t, 'Secrets U');
    });
    afterAll(() => t?.close());

    /** A raw call to the Kaltura door; the answer does not matter here, only what was logged. */
    const k = async (pathAndQuery: string, body?: string, contentType = 'application/x-www-form-urlencoded', headers: Record<string, string> = {}) => {
      const res = await fetch(`${t.url}${pathAndQuery}`, body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
      expect(res.status, pathAndQuery).toBeLessThan(500);
      return res.text();
    };
    /** The same request through Fastify's router (inject), where the "incoming request" line is written. */
    const injected = (url: string, headers: Record<string, string> = {}) => t.gh.app.inject({ method: 'GET', url, headers });

    it('sends every secret through every door and finds none of them in the log', async () => {
      keep('operator password', ADMIN_PASSWORD);
      keep('partner user secret', p.secret);
      keep('partner admin secret', p.adminSecret);
      keep('partner admin password (cmsPassword)', p.password);
      for (const [name, value] of Object.entries(MARKERS)) keep(`marker ${name}`, value);
      const email = p.adminEmail;

      // --- Kaltura door, official client (JSON bodies, single calls and a multirequest).
      const opKs = keep('operator KS', await operatorKs(t));
      const ks = keep('admin KS', await adminKs(t, p));
      const userKs = keep('user KS', await run<string>(client(t), kaltura.services.session.start(p.secret, 'viewer', 0, p.id)));
      await run(client(t, ks), kaltura.services.session.get(userKs));
      await run(client(t), kaltura.services.partner.getSecrets(p.id, email, p.password)).catch(() => undefined);
      await run(client(t, opKs), kaltura.services.session.get(ks).add(kaltura.services.session.get(userKs)));
      const userPassword = keep('new user password', 'user-Password-4471-secret');
      await run(client(t, ks), kaltura.services.user.add(new kaltura.objects.User({ id: 'logger-user', email: 'logger-user@uni.test', password: userPassword, isAdmin: false }))).catch(() => undefined);
      await run(client(t), kaltura.services.user.loginByLoginId('logger-user@uni.test', userPassword, p.id)).catch(() => undefined);
      const token = await run<{ id: string; token: string }>(client(t, ks), kaltura.services.appToken.add(new kaltura.objects.AppToken({ hashType: 'SHA256', sessionType: 0 })));
      keep('app token value', token.token);
      const widgetKs = keep('widget KS', (await run<{ ks: string }>(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`))).ks);
      const tokenHash = keep('app token hash', createHash('sha256').update(widgetKs + token.token).digest('hex'));
      const tokenKs = keep('app token KS', (await run<{ ks: string }>(client(t, widgetKs), kaltura.services.appToken.startSession(token.id, tokenHash))).ks);

      // --- Kaltura door, raw HTTP: query string, path pairs, multirequest prefixes, nested names, bodies.
      const getSecrets = `/api_v3/service/partner/action/getSecrets`;
      await k(`${getSecrets}?format=1&partnerId=${p.id}&adminEmail=${enc(email)}&cmsPassword=${enc(p.password)}&otp=${MARKERS.otp}`);
      await k(`${getSecrets}/partnerId/${p.id}/adminEmail/${enc(email)}/cmsPassword/${enc(p.password)}?format=1`);
      await k(`/api_v3/index.php/service/partner/action/getSecrets/partnerId/${p.id}/adminEmail/${enc(email)}/CmsPassword/${enc(p.password)}`);
      await k(`/api_v3/service/partner/action/register?format=1&ks=${opKs}&partner[name]=X&partner[adminEmail]=x@y.test&cmsPassword=${enc(p.password)}`);
      await k(`/api_v3/service/multirequest?format=1&ks=${ks}&1:service=partner&1:action=getSecrets&1:partnerId=${p.id}&1:adminEmail=${enc(email)}&1:cmsPassword=${enc(p.password)}&2:service=session&2:action=get&2:ks=${opKs}&2:session=${userKs}&3:service=user&3:action=list&3:filter:ks=${tokenKs}&3[filter][ks]=${tokenKs}`);
      await k(`/api_v3/service/multirequest/1:service/session/1:action/get/1:ks/${ks}/1:session/${userKs}/2:service/partner/2:action/getSecrets/2:cmsPassword/${enc(p.password)}?format=1`);
      await k(`/api_v3/service/session/action/get?format=1&ks=${ks}&session=${userKs}`);
      await k(`/api_v3/service/session/action/get/ks/${ks}/session/${userKs}?format=1`);
      await k(`/api_v3/service/session/action/impersonateByKs?format=1&ks=${opKs}&session=${userKs}`);
      await k(`/api_v3/service/session/action/impersonateByKs/session/${userKs}/ks/${opKs}`);
      await k(`/api_v3/service/session/action/start?format=1&secret=${p.adminSecret}&partnerId=${p.id}&type=2`);
      await k(`/api_v3/service/session/action/start/secret/${p.secret}/partnerId/${p.id}?format=1`);
      await k(`/api_v3/service/session/action/impersonate?format=1&secret=${p.adminSecret}&impersonatedPartnerId=${p.id}&partnerId=${p.id}`);
      await k(`/api_v3/service/user/action/loginByLoginId?format=1&loginId=${enc(email)}&password=${enc(p.password)}&otp=${MARKERS.otp}&partnerId=${p.id}`);
      await k(`/api_v3/service/user/action/loginByLoginId/loginId/${enc(email)}/password/${enc(ADMIN_PASSWORD)}?format=1`);
      await k(`/api_v3/service/user/action/add?format=1&ks=${ks}&user[objectType]=KalturaUser&user[id]=q-user&user[email]=q@uni.test&user[password]=${enc(userPassword)}&user:password=${enc(userPassword)}`);
      await k(`/api_v3/service/apptoken/action/startSession?format=1&ks=${widgetKs}&id=${token.id}&tokenHash=${tokenHash}`);
      await k(`/api_v3/service/apptoken/action/startSession/ks/${widgetKs}/id/${token.id}/tokenHash/${tokenHash}?format=1`);
      await k(`/api_v3/service/apptoken/action/add?format=1&ks=${ks}&appToken[objectType]=KalturaAppToken&appToken[token]=${MARKERS.api_key}`);
      await k(`/api_v3/service/baseentry/action/getContextData?format=1&ks=${ks}&entryId=0_none&contextDataParams[objectType]=KalturaEntryContextDataParams&contextDataParams[ks]=${userKs}&contextDataParams[hashes][0][key]=h&contextDataParams[hashes][0][value]=${MARKERS.hashes}`);
      // Names no action takes, as a client or a proxy might still send them, in any case.
      const stray = Object.entries(MARKERS).map(([name, value]) => `${enc(name)}=${enc(value)}`).join('&');
      await k(`/api_v3/service/session/action/get?format=1&KS=${ks}&${stray}&1:${stray.replaceAll('&', '&1:')}`);
      await k(`/api_v3/service/session/action/get/Authorization/${MARKERS.Authorization}/access_token/${MARKERS.access_token}?format=1`);
      // Bodies: JSON (nested and multirequest) and forms.
      await k('/api_v3/service/multirequest?format=1', JSON.stringify({ ks, cmsPassword: p.password, 1: { service: 'session', action: 'get', session: userKs, ks: tokenKs }, 2: { service: 'partner', action: 'getSecrets', partnerId: p.id, adminEmail: email, cmsPassword: p.password } }), 'application/json');
      await k('/api_v3/service/session/action/start', `format=1&secret=${p.adminSecret}&partnerId=${p.id}&1:ks=${ks}&user[password]=${enc(userPassword)}`);
      await k('/api_v3/service/session/action/get?format=1', `ks=${ks}&session=${userKs}`, 'a/b/c', { cookie: `gh=${MARKERS.cookie}`, authorization: `Bearer ${MARKERS.Authorization}` });
      await injected(`/api_v3/service/session/action/get?format=1&ks=${ks}&session=${userKs}&cmsPassword=${enc(p.password)}`);

      // --- REST door: JSON bodies, headers, query keys.
      const access = keep('REST access token', await adminToken(t, p));
      const apiKey = keep('API key', await createKey(t, access, { permissions: ['CONSUMER_MANAGE'] }));
      await api(t, 'POST', '/api/auth/access-token', { body: { username: email, password: 'a-wrong-Password-5521' } });
      keep('wrong password', 'a-wrong-Password-5521');
      await api(t, 'POST', '/api/auth/access-token', { raw: `{"username":"${email}","password":"${p.password}"`, contentType: 'application/json' });
      await api(t, 'GET', '/api/users', { key: apiKey, query: { key: apiKey, access_token: access, api_key: apiKey, apikey: apiKey, pageSize: '5' } });
      await api(t, 'GET', '/api/users', { token: access, headers: { cookie: `s=${MARKERS.cookie}` } });
      const restUserPassword = keep('REST user password', 'rest-user-Password-9090');
      await api(t, 'POST', '/api/users', { token: access, body: { id: 'rest-user', email: 'rest-user@uni.test', password: restUserPassword } });
      await api(t, 'POST', '/api/users/rest-user/password', { token: access, body: { password: `${restUserPassword}-2` } });
      keep('REST user password 2', `${restUserPassword}-2`);
      await injected(`/api/users?key=${apiKey}&access_token=${access}`);

      // --- Consumer door and /authz/api.
      await createService(t, access, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
      const consumer = await createConsumer(t, access, 'logger-app');
      keep('consumer secret', consumer.secret);
      await grant(t, access, 'logger-app', ['apps']);
      const consumerJwt = keep('consumer JWT', sunbirdToken(consumer.key, consumer.secret));
      keep('consumer JWT signature', consumerJwt.split('.')[2] as string);
      await sunbird(t, 'logger-app/read', undefined, { query: { key: apiKey } });
      await sunbird(t, 'create', { username: 'x', secret: MARKERS.client_secret }, { token: consumerJwt });
      const original = `/api/x?key=${apiKey}&access_token=${access}&jwt=${consumerJwt}&api_key=${MARKERS.api_key}`;
      const gatewayHeaders: Array<Record<string, string>> = [
        { authorization: `Bearer ${consumerJwt}`, 'x-original-uri': '/api/x' },
        { 'x-api-key': apiKey, 'x-original-uri': '/api/x' },
        { 'x-original-uri': original },
        { authorization: `Bearer ${consumerJwt}`, 'x-original-uri': `/api/x/ks/${userKs}/token/${MARKERS.access_token}` },
      ];
      for (const headers of gatewayHeaders) {
        await fetch(`${t.url}/authz/api`, { headers });
        await injected('/authz/api', headers);
      }
      await fetch(`${t.url}/authz/api${original}`);
      await injected(`/authz/api${original}`);

      // --- Delivery: /p/... URLs and /authz/delivery, KS in the path and the query.
      const play = `/p/${p.id}/sp/${p.id}00/playManifest/entryId/0_nothere/ks/${userKs}/a.mp4?ks=${ks}&gh_token=${MARKERS.gh_token}`;
      await fetch(`${t.url}${play}`, { redirect: 'manual' });
      await injected(play);
      for (const uri of [play, `/p/${p.id}/sp/${p.id}00/raw/entry_id/0_nothere/ks/${tokenKs}`]) {
        await fetch(`${t.url}/authz/delivery`, { headers: { 'x-original-uri': uri } });
        await injected('/authz/delivery', { 'x-original-uri': uri, 'x-forwarded-uri': uri });
      }

      const log = chunks.join('');
      // The lines are there, with their secrets redacted: proof the requests were logged at all.
      expect(log).toContain('"level":"debug"');
      expect(log).toContain('cmsPassword=[redacted]');
      expect(log).toContain('/cmsPassword/[redacted]');
      expect(log).toContain('1:cmsPassword=[redacted]');
      expect(log).toContain('session=[redacted]');
      expect(log).toContain('/api_v3/service/session/action/get/ks/[redacted]/session/[redacted]');
      expect(log).toContain('access_token=[redacted]');
      expect(log).toContain('gateway decision');
      expect(log).toContain('delivery denied');
      for (const [label, value] of secrets) {
        expect(typeof value === 'string' && value.length > 8, `${label}: ${value}`).toBe(true);
        expect(log.includes(value), `${label} is in the log`).toBe(false);
        expect(log.includes(enc(value)), `${label} (percent-encoded) is in the log`).toBe(false);
      }
      // Long secrets: no recognisable piece of them either (a KS's signature, a token's middle).
      for (const [label, value] of secrets) {
        if (value.length < 40) continue;
        const middle = value.slice(Math.floor(value.length / 2) - 12, Math.floor(value.length / 2) + 12);
        expect(log.includes(middle), `a piece of ${label} is in the log`).toBe(false);
      }
    });
  });
}
