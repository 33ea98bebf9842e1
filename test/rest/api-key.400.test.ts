/** POST /api/auth/api-key → 400: validity rules, unknown permissions and services, strict bodies. */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, expectProblem, fromNow } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`POST /api/auth/api-key 400 [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    const create = (body: unknown) => api(t, 'POST', '/api/auth/api-key', { token, body });
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-key-400', { env: { GATEHOUSE_API_KEY_MAX_VALIDITY: String(90 * 86400) } });
      const p: TestPartner = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('validTo is required, a date-time, after validFrom, in the future and within the maximum', async () => {
      expectProblem(await create({}), 400, 'INVALID_REQUEST');
      expectProblem(await create({ validTo: 'tomorrow' }), 400, 'INVALID_REQUEST');
      expectProblem(await create({ validTo: 1767225600 }), 400, 'INVALID_REQUEST');
      expectProblem(await create({ validFrom: fromNow(t, 5), validTo: fromNow(t, 4) }), 400, 'API_KEY_VALIDITY_INVALID');
      expectProblem(await create({ validFrom: fromNow(t, -10), validTo: fromNow(t, -1) }), 400, 'API_KEY_VALIDITY_INVALID');
      expectProblem(await create({ validTo: fromNow(t, 91) }), 400, 'API_KEY_VALIDITY_INVALID');
      expectProblem(await create({ validFrom: fromNow(t, 10), validTo: fromNow(t, 101) }), 400, 'API_KEY_VALIDITY_INVALID');
      // A short window far ahead still ends beyond the maximum counted from now.
      expectProblem(await create({ validFrom: fromNow(t, 85), validTo: fromNow(t, 95) }), 400, 'API_KEY_VALIDITY_INVALID');
    });

    it('unknown permissions and services, and unknown properties, are refused', async () => {
      expectProblem(await create({ validTo: fromNow(t, 1), permissions: ['NOT_A_PERMISSION'] }), 400, 'PERMISSION_NOT_FOUND');
      expectProblem(await create({ validTo: fromNow(t, 1), services: ['00000000-0000-4000-8000-000000000000'] }), 400, 'UNKNOWN_API_SERVICES');
      expectProblem(await create({ validTo: fromNow(t, 1), services: ['not-a-uuid'] }), 400, 'INVALID_REQUEST');
      expectProblem(await create({ validTo: fromNow(t, 1), owner: 'me' }), 400, 'INVALID_REQUEST');
      expectProblem(await create({ validTo: fromNow(t, 1), permissions: 'ADMIN_BASE' }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'DELETE', '/api/auth/api-keys/not-a-uuid', { token }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'DELETE', '/api/auth/api-keys/00000000-0000-4000-8000-000000000000', { token }), 404, 'API_KEY_NOT_FOUND');
    });
  });
}
