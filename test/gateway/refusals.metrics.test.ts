/**
 * Refused forward-auth requests are the cheapest requests to send, so they are counted, never
 * logged one `info` line each (the outside pass: an anonymous flood of /authz/api refusals wrote
 * 228 MB of log in two minutes). /authz/api refusals are counted by reason in
 * gatehouse_gateway_decisions_total{outcome}, delivery refusals (/authz/delivery and the /p/...
 * URLs) in gatehouse_delivery_decisions_total{context,outcome}; at `debug` each is one event.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/http/logger.js';
import { GATEWAY_OUTCOMES } from '../../src/http/doors/gateway/metrics.js';
import { DIALECTS } from '../support/dialects.js';
import { counter } from '../support/delivery.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, createKey } from '../support/rest.js';
import { createConsumer, createService, grant, sunbirdToken } from '../support/consumer.js';

const gatewaySeries = (outcome: string) => `gatehouse_gateway_decisions_total{outcome="${outcome}"}`;
const deliverySeries = (context: string, outcome: string) => `gatehouse_delivery_decisions_total{context="${context}",outcome="${outcome}"}`;
const FLOOD = 200;

for (const dialect of DIALECTS) {
  describe(`forward-auth refusals are counted, not logged at info [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let jwt: string;
    let key: string;
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      loggerOptions('info'),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      }),
    );
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'refusals-metrics', { logger, env: { GATEHOUSE_DELIVERY_ORIGIN: 'https://cdn.example.test/media' } });
      p = await registerPartner(t);
      const token = await adminToken(t, p);
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
      const c = await createConsumer(t, token, 'app');
      await grant(t, token, 'app', ['apps']);
      jwt = sunbirdToken(c.key, c.secret);
      key = await createKey(t, token);
    });
    afterAll(() => t?.close());

    /** Over a real socket: the proxies' way in, answered ahead of Fastify (raw-routes.ts). */
    const ask = (path: string, headers: Record<string, string>) => fetch(`${t.url}${path}`, { headers }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const gateway = (headers: Record<string, string>) => ask('/authz/api', { 'x-original-uri': '/api/things?x=1', 'x-original-method': 'GET', ...headers });

    it('/authz/api: an anonymous flood and every other kind of refusal write no line; each is counted by reason', async () => {
      const outcomes = ['granted', 'no_credential', 'multiple_credentials', 'malformed', 'unknown_key', 'api_key_unknown', 'bad_request', 'no_service'];
      const before = Object.fromEntries(await Promise.all(outcomes.map(async (o) => [o, await counter(t, gatewaySeries(o))] as const)));
      const mark = lines.length;

      const flood = await Promise.all(Array.from({ length: FLOOD }, () => gateway({})));
      expect(flood.every((r) => r.status === 401)).toBe(true);
      expect((await gateway({ authorization: `Bearer ${jwt}`, 'x-api-key': key })).status).toBe(401);
      expect((await gateway({ authorization: 'Bearer not-a-jwt' })).status).toBe(401);
      expect((await gateway({ authorization: `Bearer ${sunbirdToken('no-such-key', 'x')}` })).status).toBe(401);
      expect((await gateway({ 'x-api-key': `gh_${'Z'.repeat(43)}` })).status).toBe(401);
      expect((await ask('/authz/api', { authorization: `Bearer ${jwt}` })).status).toBe(400);
      expect((await gateway({ authorization: `Bearer ${jwt}`, 'x-original-uri': '/elsewhere' })).status).toBe(403);
      expect((await gateway({ authorization: `Bearer ${jwt}` })).status).toBe(200);

      // Not one line: neither an event nor Fastify's request lines (the raw path has none).
      expect(lines.slice(mark)).toEqual([]);
      const after = Object.fromEntries(await Promise.all(outcomes.map(async (o) => [o, await counter(t, gatewaySeries(o))] as const)));
      const delta = Object.fromEntries(outcomes.map((o) => [o, (after[o] as number) - (before[o] as number)]));
      expect(delta).toEqual({ granted: 1, no_credential: FLOOD, multiple_credentials: 1, malformed: 1, unknown_key: 1, api_key_unknown: 1, bad_request: 1, no_service: 1 });
    });

    it('the outcome label set is closed and every series exists from the start', async () => {
      const text = (await t.gh.app.inject({ method: 'GET', url: '/metrics' })).body;
      const series = text.split('\n').filter((l) => l.startsWith('gatehouse_gateway_decisions_total{'));
      expect(series).toHaveLength(GATEWAY_OUTCOMES.length);
      expect(await counter(t, gatewaySeries('rate_limited'))).toBe(0);
      // An unexpected reason would be counted as `other`, never as a new series.
      expect(GATEWAY_OUTCOMES).toContain('other');
    });

    it('delivery: refused /authz/delivery and /p/... requests write no info line and are counted', async () => {
      const play = (entryId: string) => `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${entryId}/format/url/protocol/https/a.mp4`;
      const before = await counter(t, deliverySeries('play', 'not_found'));
      const beforeBad = await counter(t, deliverySeries('unknown', 'bad_request'));
      const mark = lines.length;
      for (let i = 0; i < 20; i++) expect((await ask('/authz/delivery', { 'x-original-uri': play('0_nothere') })).status).toBe(403);
      expect((await ask(play('0_nothere'), {})).status).toBe(404);
      expect((await ask('/authz/delivery', { 'x-original-uri': '/not/a/delivery/url' })).status).toBe(403);
      expect(lines.slice(mark)).toEqual([]);
      expect((await counter(t, deliverySeries('play', 'not_found'))) - before).toBe(21);
      expect((await counter(t, deliverySeries('unknown', 'bad_request'))) - beforeBad).toBe(1);
    });

    it('through Fastify too (inject) no refusal event reaches info', async () => {
      const mark = lines.length;
      const r = await t.gh.app.inject({ method: 'GET', url: '/authz/api', headers: { 'x-original-uri': '/api/x' } });
      expect(r.statusCode).toBe(401);
      const d = await t.gh.app.inject({ method: 'GET', url: '/authz/delivery', headers: { 'x-original-uri': '/nothing' } });
      expect(d.statusCode).toBe(403);
      expect(lines.slice(mark).filter((l) => l.msg === 'gateway decision' || l.msg === 'delivery denied')).toEqual([]);
    });

    it('at debug, each refusal is one event with its reason and never the credential', async () => {
      logger.level = 'debug';
      try {
        const mark = lines.length;
        expect((await gateway({ 'x-api-key': `gh_${'Y'.repeat(43)}` })).status).toBe(401);
        expect((await gateway({})).status).toBe(401);
        expect((await ask('/authz/delivery', { 'x-original-uri': `/p/${p.id}/sp/${p.id}00/playManifest/entryId/0_nothere/a.mp4` })).status).toBe(403);
        const events = lines.slice(mark);
        expect(events.filter((l) => l.msg === 'gateway decision')).toEqual([
          expect.objectContaining({ level: 'debug', authz: expect.objectContaining({ granted: false, status: 401, reason: 'invalid_credential', detail: 'unknown', path: '/api/things' }) }),
          expect.objectContaining({ level: 'debug', authz: expect.objectContaining({ granted: false, status: 401, reason: 'credential: none' }) }),
        ]);
        expect(events.filter((l) => l.msg === 'delivery denied')).toEqual([expect.objectContaining({ level: 'debug', reason: 'not_found' })]);
        expect(JSON.stringify(events)).not.toContain('Y'.repeat(43));
      } finally {
        logger.level = 'info';
      }
    });
  });
}
