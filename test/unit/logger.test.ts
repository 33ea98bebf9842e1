import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED, loggerOptions, redactUrl } from '../../src/http/logger.js';

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
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
