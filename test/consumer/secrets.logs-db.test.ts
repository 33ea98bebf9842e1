/**
 * No consumer secret, consumer JWT, API key or private key appears in any log line (debug level,
 * every path: success, refusal, fault-free errors) or in plain text anywhere in the database.
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/http/logger.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, expectEnvelope, grant, rsaPair, sunbird, sunbirdToken } from '../support/consumer.js';

const TABLES = ['consumers', 'consumer_credentials', 'audit_log', 'change_log', 'api_keys', 'system_state'];

for (const dialect of DIALECTS) {
  describe(`consumer secrets stay out of logs and the database [${dialect}]`, () => {
    let t: TestGatehouse;
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-secrets', { logger: pino(loggerOptions('debug'), stream) });
    });
    afterAll(() => t?.close());

    it('after create, register, grant, deprecate, rotate and gateway calls of every outcome', async () => {
      const token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
      const apiKey = await createKey(t, token, { permissions: ['CONSUMER_MANAGE'] });
      const c = await createConsumer(t, token, 'app');
      await grant(t, token, 'app', ['apps']);
      const jwt = sunbirdToken(c.key, c.secret);
      const rsa = rsaPair();
      const privatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const reg = expectEnvelope(await sunbird(t, 'app/credential/register', {}, { key: apiKey }), 200, 'credential.register');
      // A private key sent by mistake is refused and not logged.
      expectEnvelope(await sunbird(t, 'app/credential/register', { algorithm: 'RS256', publicKey: privatePem }, { token }), 400, 'credential.register', 'BAD_REQUEST');
      expect((await authz(t, { uri: '/api/x', token: jwt })).status).toBe(200);
      expect((await authz(t, { uri: '/api/x', token: sunbirdToken(c.key, 'wrong') })).status).toBe(401);
      expect((await authz(t, { uri: `/api/x?key=${apiKey}` })).status).toBe(200);
      expect((await authz(t, { uri: '/api/x', key: `${apiKey}x` })).status).toBe(401);
      expect((await sunbird(t, 'create', { username: 'x' }, { token: jwt })).status).toBe(401);
      expectEnvelope(await sunbird(t, 'credential/deprecate', { key: c.key }, { token }), 200, 'credential.deprecate');
      const rotated = expectEnvelope(await sunbird(t, 'app/credential/rotate', {}, { token: jwt }), 200, 'credential.rotate');
      expect((await authz(t, { uri: '/api/x', token: jwt })).status).toBe(401);
      expect((await authz(t, { uri: '/api/x', token: sunbirdToken(rotated.key, rotated.secret) })).status).toBe(200);

      const secrets = [c.secret, reg.secret, rotated.secret, jwt, jwt.split('.')[2]!, apiKey, apiKey.slice(3), token, privatePem.split('\n')[1]!];
      const log = chunks.join('');
      expect(log).toContain('gateway decision');
      // The refusals' events name the original path; no line carries a credential.
      expect(log).toContain('"path":"/api/x"');
      for (const s of secrets) expect(log).not.toContain(s);

      for (const table of TABLES) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.store.db);
        const dump = JSON.stringify(rows.rows);
        for (const s of secrets) expect(dump, `${table} holds a secret in plain text`).not.toContain(s);
      }
    });
  });
}
