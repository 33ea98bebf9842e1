import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretParam, loggerOptions, redactQuery, redactUrl, redactValue } from '../../src/http/logger.js';

/** A pino destination that keeps every line in memory. */
function memoryStream(): { stream: Writable; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRETS = {
  ks: 'djJ8MTIzfKSsecretKS',
  secret: 'partner-secret-123',
  adminSecret: 'admin-secret-456',
  password: 'hunter2-password',
  authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.jwt',
  apiKey: 'gh_live_apikey_789',
  key: 'query-key-000',
  token: 'app-token-value-111',
};

describe('loggerOptions', () => {
  it('writes JSON with a UTC ISO time and level names', () => {
    const mem = memoryStream();
    pino(loggerOptions('info'), mem.stream).info('hello');
    const [line] = mem.lines();
    expect(line).toMatchObject({ level: 'info', msg: 'hello' });
    expect(String(line?.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts secrets at the top level, one and two levels down', () => {
    const mem = memoryStream();
    const log = pino(loggerOptions('trace'), mem.stream);
    log.info({
      ks: SECRETS.ks,
      body: { secret: SECRETS.secret, adminSecret: SECRETS.adminSecret, password: SECRETS.password, keep: 'visible-1' },
      // Under a key without a serializer, so the redact paths (not the req serializer) must catch these.
      request: {
        headers: { authorization: SECRETS.authorization, 'x-api-key': SECRETS.apiKey, 'user-agent': 'visible-2' },
        query: { ks: SECRETS.ks, key: SECRETS.key, service: 'visible-3' },
        body: { token: SECRETS.token },
      },
      headers: { 'x-api-key': SECRETS.apiKey },
      session: { token: SECRETS.token },
    }, 'request-like');
    const out = mem.text();
    for (const value of Object.values(SECRETS)) expect(out).not.toContain(value);
    for (const visible of ['visible-1', 'visible-2', 'visible-3']) expect(out).toContain(visible);
    expect(out).toContain(REDACTED);
  });

  it('serializes `req` objects without headers, query or body', () => {
    const mem = memoryStream();
    pino(loggerOptions('info'), mem.stream).info({ req: { method: 'POST', url: `/x?ks=${SECRETS.ks}`, headers: { authorization: SECRETS.authorization }, body: { password: SECRETS.password } } });
    const out = mem.text();
    for (const value of Object.values(SECRETS)) expect(out).not.toContain(value);
    expect(mem.lines()[0]?.req).toEqual({ method: 'POST', url: `/x?ks=${REDACTED}` });
  });

  it('logs Fastify requests with the query secrets stripped from the URL', async () => {
    const mem = memoryStream();
    const app = Fastify({ logger: { ...loggerOptions('info'), stream: mem.stream } });
    app.get('/api_v3/service/session/action/get', async () => ({ ok: true }));
    const res = await app.inject({
      url: `/api_v3/service/session/action/get?format=1&ks=${SECRETS.ks}&key=${SECRETS.key}`,
      headers: { authorization: SECRETS.authorization, 'x-api-key': SECRETS.apiKey },
    });
    expect(res.statusCode).toBe(200);
    await app.close();
    const out = mem.text();
    for (const value of Object.values(SECRETS)) expect(out).not.toContain(value);
    const incoming = mem.lines().find((l) => l.msg === 'incoming request') as { req: { url: string } } | undefined;
    expect(incoming?.req.url).toBe(`/api_v3/service/session/action/get?format=1&ks=${REDACTED}&key=${REDACTED}`);
  });
});

describe('redactUrl', () => {
  it.each([
    ['/api_v3/service/session/action/get?ks=abc', '/api_v3/service/session/action/get?ks=[redacted]'],
    ['/x?format=1&ks=abc&service=media', '/x?format=1&ks=[redacted]&service=media'],
    ['/x?KS=abc', '/x?KS=[redacted]'],
    ['/x?1:ks=abc&2:ks=def&1:service=session', '/x?1:ks=[redacted]&2:ks=[redacted]&1:service=session'],
    ['/x?filter%5Bks%5D=abc&filter[password]=p', '/x?filter%5Bks%5D=[redacted]&filter[password]=[redacted]'],
    ['/x?secret=s&adminSecret=a&token=t&key=k&x-api-key=x&authorization=b', '/x?secret=[redacted]&adminSecret=[redacted]&token=[redacted]&key=[redacted]&x-api-key=[redacted]&authorization=[redacted]'],
    ['/x?keys=1&monkey=2&ks', '/x?keys=1&monkey=2&ks'],
    ['/api_v3/service/session/action/get/ks/abc/format/1', '/api_v3/service/session/action/get/ks/[redacted]/format/1'],
    ['/p/1/sp/100/playManifest/entryId/0_ab/ks/abc/a.mp4?ks=def', '/p/1/sp/100/playManifest/entryId/0_ab/ks/[redacted]/a.mp4?ks=[redacted]'],
    ['/x?ks=abc#frag', '/x?ks=[redacted]'],
    ['/healthz', '/healthz'],
    ['/x?bad=%E0%A4%A&ks=%E0%A4%A', '/x?bad=%E0%A4%A&ks=[redacted]'],
    // The names the outside pass found in the "incoming request" line, in every form.
    ['/api_v3/service/partner/action/register?cmsPassword=p&partner[adminEmail]=a@b', '/api_v3/service/partner/action/register?cmsPassword=[redacted]&partner[adminEmail]=a@b'],
    ['/api_v3/service/partner/action/getSecrets/partnerId/7/adminEmail/a@b/cmsPassword/pw/otp/123', '/api_v3/service/partner/action/getSecrets/partnerId/7/adminEmail/a@b/cmsPassword/[redacted]/otp/[redacted]'],
    ['/api_v3/service/session/action/get?session=abc', '/api_v3/service/session/action/get?session=[redacted]'],
    ['/api_v3/service/session/action/impersonateByKs/session/abc', '/api_v3/service/session/action/impersonateByKs/session/[redacted]'],
    ['/x?access_token=a&api_key=b&apikey=c&API-KEY=d&ApiKey=e&id=1', '/x?access_token=[redacted]&api_key=[redacted]&apikey=[redacted]&API-KEY=[redacted]&ApiKey=[redacted]&id=1'],
    ['/m?1:cmsPassword=p&2:CMSPASSWORD=q&1:filter:ks=k&1[filter][ks]=k&1:service=partner', '/m?1:cmsPassword=[redacted]&2:CMSPASSWORD=[redacted]&1:filter:ks=[redacted]&1[filter][ks]=[redacted]&1:service=partner'],
    ['/api_v3/service/multirequest/1:ks/abc/2:cmsPassword/pw/1:service/session/1:action/get', '/api_v3/service/multirequest/1:ks/[redacted]/2:cmsPassword/[redacted]/1:service/session/1:action/get'],
    ['/x?hashes[0][value]=h&tokenHash=t&newPassword=n&client_secret=c&user:password=u&appToken[token]=v&hashType=SHA256', '/x?hashes[0][value]=[redacted]&tokenHash=[redacted]&newPassword=[redacted]&client_secret=[redacted]&user:password=[redacted]&appToken[token]=[redacted]&hashType=SHA256'],
    ['/x?%6Bs=a&cms%50assword=b&se+cret=c', '/x?%6Bs=[redacted]&cms%50assword=[redacted]&se+cret=c'],
    ['/p/1/sp/100/playManifest/entryId/0_x/KS/abc/a.mp4?gh_token=t&kalsig=s', '/p/1/sp/100/playManifest/entryId/0_x/KS/[redacted]/a.mp4?gh_token=[redacted]&kalsig=[redacted]'],
    // Pairs are not aligned first: both readings of `/ks/ks/abc` are covered.
    ['/x/ks/ks/abc', '/x/ks/[redacted]/[redacted]'],
    ['/x?a=1&ks=abc;def&b=2', '/x?a=1&ks=[redacted]&b=2'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('isSecretParam', () => {
  it.each(['ks', 'KS', 'session', 'secret', 'adminSecret', 'password', 'cmsPassword', 'otp', 'token', 'tokenHash', 'hashSecret', 'x-api-key', 'X-Api-Key', 'authorization', 'cookie', 'access_token', 'accessToken', 'refresh_token', 'api_key', 'apikey', 'jwt', 'privateKey', 'clientSecret', 'client_secret', 'adminPassword', 'gh_token', '1:ks', '12:filter:ks', 'filter[ks]', 'partner[secret]', 'hashes[0][value]', 'oldPassword', 'user_passwd'])('%s is a secret', (name) => {
    expect(isSecretParam(name)).toBe(true);
  });
  it.each(['id', 'userId', 'partnerId', 'entryId', 'widgetId', 'keys', 'monkey', 'hashType', 'privileges', 'format', 'service', 'action', 'type', 'expiry', 'loginId', '1:service', 'filter[idEqual]', 'sessionType', 'keyEqual'])('%s is not', (name) => {
    expect(isSecretParam(name)).toBe(false);
  });
});

describe('redactValue and form bodies', () => {
  it('walks JSON bodies and headers at any depth, names matched in any case, without touching the original', () => {
    const body = {
      format: 1,
      cmsPassword: 'pw-1',
      partner: { name: 'U', adminSecret: 'as-1' },
      '1': { service: 'session', action: 'get', session: 'ks-1', filter: { KS: 'ks-2', idEqual: 5 } },
      '2:ks': 'ks-3',
      list: [{ Password: 'pw-2' }, 'plain'],
      headers: { Authorization: 'Bearer t', 'X-Api-Key': 'k', Cookie: 'c', 'user-agent': 'ua' },
      request: { uri: '/api_v3/service/session/action/get/ks/ks-4?x=1', path: '/p/1/ks/ks-5/a.mp4' },
    };
    const before = JSON.stringify(body);
    const out = JSON.stringify(redactValue(body));
    for (const s of ['pw-1', 'pw-2', 'as-1', 'ks-1', 'ks-2', 'ks-3', 'ks-4', 'ks-5', 'Bearer t', '"k"', '"c"']) expect(out).not.toContain(s);
    for (const s of ['"format":1', '"idEqual":5', '"service":"session"', '"user-agent":"ua"', '"plain"', '"name":"U"']) expect(out).toContain(s);
    expect(JSON.stringify(body)).toBe(before);
    const clean = { a: 1, b: { c: [1, 2] } };
    expect(redactValue(clean)).toBe(clean);
  });

  it('form bodies are query strings', () => {
    expect(redactQuery('secret=s&partnerId=1&1:ks=k&user[password]=p')).toBe('secret=[redacted]&partnerId=1&1:ks=[redacted]&user[password]=[redacted]');
  });

  it('a logged error keeps its message and stack but not its secret fields', () => {
    const mem = memoryStream();
    const err = Object.assign(new Error('boom'), { password: 'pw-err', detail: 'kept' });
    pino(loggerOptions('info'), mem.stream).error({ err }, 'fault');
    const line = mem.lines()[0] as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ message: 'boom', password: REDACTED, detail: 'kept' });
    expect(String(line.err.stack)).toContain('boom');
  });
});
