/**
 * Access-token signing keys rotate: the next key is published ahead of use, a retired key keeps
 * verifying for one token lifetime, then leaves the JWKS. Private keys are sealed in the database.
 */
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';

const ROTATION = 3600;
const TTL = 900;

for (const dialect of DIALECTS) {
  describe(`signing-key rotation [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-signing-keys', { env: { GATEHOUSE_JWT_KEY_ROTATION: String(ROTATION), GATEHOUSE_JWT_TTL: String(TTL) } });
      p = await registerPartner(t);
    });
    afterAll(() => t?.close());

    const kids = async () => (await api(t, 'GET', '/api/auth/jwks.json')).json.keys.map((k: { kid: string }) => k.kid) as string[];
    const kidOf = (token: string) => decodeProtectedHeader(token).kid!;
    const works = async (token: string) => (await api(t, 'GET', '/api/users', { token })).status;

    it('rotates with pre-publication and a grace period', async () => {
      const first = await adminToken(t, p);
      const k1 = kidOf(first);
      expect(await kids()).toEqual([k1]);

      // Half a rotation before the end, the next key is created and published, but not used yet.
      t.clock.advance(ROTATION / 2 + 1);
      const late = await adminToken(t, p);
      expect(kidOf(late)).toBe(k1);
      const published = await kids();
      expect(published).toHaveLength(2);
      const k2 = published.find((k) => k !== k1)!;

      // The last token of the old key, then the switch: the new key signs.
      t.clock.advance(ROTATION / 2 - 2);
      const lastOld = await adminToken(t, p);
      expect(kidOf(lastOld)).toBe(k1);
      t.clock.advance(1);
      const fresh = await adminToken(t, p);
      expect(kidOf(fresh)).toBe(k2);

      // The retired key keeps verifying its tokens for their whole lifetime.
      t.clock.advance(TTL - 60);
      expect(await works(lastOld)).toBe(200);
      expect(await works(fresh)).toBe(200);
      expect(await kids()).toContain(k1);

      // One token lifetime (plus skew) after retirement the old key leaves the JWKS.
      t.clock.advance(200);
      expect(await kids()).toEqual([k2]);
    });

    it('private keys are sealed at rest', async () => {
      const rows = await t.store.db.selectFrom('signing_keys').selectAll().execute();
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const r of rows) {
        expect(r.private_jwk_enc).toMatch(/^v1\./);
        expect(JSON.parse(r.public_jwk)).not.toHaveProperty('d');
      }
    });
  });
}
