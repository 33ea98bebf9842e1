/**
 * A Kong import over what the partner already has (issue 19): changed rules and groups are
 * updates, a key held with another secret or by another consumer is refused (never overwritten),
 * and credential shapes Kong allows but Gatehouse does not hold are listed with their reason.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { authz, signAsym, sunbirdToken } from '../support/consumer.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';

const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (k: typeof pkcs1.publicKey, type: 'pkcs1' | 'spki') => k.export({ type, format: 'pem' }).toString();

const deck = (groups: string[], secret: string, allow: string[]) =>
  stringify({
    _format_version: '2.1',
    services: [{ name: 'content', url: 'http://content', routes: [{ name: 'read', paths: ['/content/read'], methods: ['GET'], plugins: [{ name: 'jwt' }, { name: 'acl', config: { allow } }] }] }],
    consumers: [
      {
        username: 'partner_app',
        acls: groups.map((group) => ({ group })),
        jwt_secrets: [
          { key: 'partner-hs', secret },
          { key: 'partner-rs', algorithm: 'RS256', rsa_public_key: pem(pkcs1.publicKey, 'pkcs1') },
          { key: 'partner-es', algorithm: 'ES256', rsa_public_key: pem(ec.publicKey, 'spki') },
          { key: 'partner-small', algorithm: 'RS256', rsa_public_key: pem(small.publicKey, 'spki') },
          { key: 'partner-512', algorithm: 'HS512', secret: 'x' },
        ],
      },
      { username: 'thief', jwt_secrets: [{ key: 'partner-hs', secret: 'other' }] },
    ],
  });

for (const dialect of DIALECTS) {
  describe(`Kong import over existing objects [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    const run = async (text: string) => {
      const r = await api(t, 'POST', '/api/import/kong', { token, raw: text, contentType: 'application/yaml' });
      expect(r.status).toBe(200);
      return (kind: string, name: string) => r.json.items.find((i: { kind: string; name: string }) => i.kind === kind && i.name === name);
    };
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'kong-import-changes');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('imports RS256 keys in PKCS#1 and ES256 keys; refuses short RSA keys, HS512 and a key named twice', async () => {
      const item = await run(deck(['contentUser'], 'first-secret', ['contentUser']));
      expect(item('service', 'read')).toMatchObject({ outcome: 'created' });
      expect(item('credential', 'partner_app partner-rs')).toMatchObject({ outcome: 'created' });
      expect(item('credential', 'partner_app partner-es')).toMatchObject({ outcome: 'created' });
      expect(item('credential', 'partner_app partner-small').reason).toMatch(/2048 BITS/);
      expect(item('credential', 'partner_app partner-512').reason).toMatch(/algorithm HS512 is not supported/);
      expect(item('credential', 'thief partner-hs')).toMatchObject({ outcome: 'skipped', reason: 'the key is named twice in this import' });
      expect((await authz(t, { uri: '/content/read/1', token: sunbirdToken('partner-hs', 'first-secret') })).status).toBe(200);
      expect((await authz(t, { uri: '/content/read/1', token: await signAsym('RS256', pkcs1.privateKey, { iss: 'partner-rs' }) })).status).toBe(200);
      expect((await authz(t, { uri: '/content/read/1', token: await signAsym('ES256', ec.privateKey, { iss: 'partner-es' }) })).status).toBe(200);
      expect((await authz(t, { uri: '/content/read/1', method: 'POST', token: sunbirdToken('partner-hs', 'first-secret') })).status).toBe(403);
    });

    it('changed groups and rules are updates; a key held with another secret is refused, the old secret keeps working', async () => {
      const item = await run(deck(['contentAdmin'], 'second-secret', ['contentAdmin', 'contentUser']));
      expect(item('service', 'read')).toMatchObject({ outcome: 'updated', changes: ['allowedGroups'] });
      expect(item('consumer', 'partner_app')).toMatchObject({ outcome: 'updated', changes: ['groups'] });
      expect(item('credential', 'partner_app partner-hs').reason).toMatch(/another secret/);
      expect(item('credential', 'partner_app partner-rs')).toMatchObject({ outcome: 'unchanged' });
      // The route table follows the change feed (one sync interval), as for any service change.
      let r = await authz(t, { uri: '/content/read/1', token: sunbirdToken('partner-hs', 'first-secret') });
      for (let i = 0; i < 40 && r.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        r = await authz(t, { uri: '/content/read/1', token: sunbirdToken('partner-hs', 'first-secret') });
      }
      expect([r.status, r.headers.get('x-consumer-groups')]).toEqual([200, 'contentAdmin']);
      expect((await authz(t, { uri: '/content/read/1', token: sunbirdToken('partner-hs', 'second-secret') })).status).toBe(401);
    });

    it("another partner's import cannot take a key", async () => {
      const other = await registerPartner(t, 'Other');
      const r = await api(t, 'POST', '/api/import/kong', { token: await adminToken(t, other), raw: stringify({ kong_consumers: [{ username: 'x', jwt_secrets: [{ key: 'partner-hs', secret: 'mine' }] }] }), contentType: 'application/yaml' });
      expect(r.json.items.find((i: { kind: string }) => i.kind === 'credential')).toMatchObject({ outcome: 'skipped', reason: 'the key belongs to another consumer' });
    });
  });
}
