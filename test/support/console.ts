/** Helpers for the console resources' tests (test/rest/console-*.test.ts). */
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestGatehouse } from './gatehouse.js';
import { accessToken } from './rest.js';

/** The bootstrap operator's access token (admin-console partner -2). */
export function operatorToken(t: TestGatehouse): Promise<string> {
  return accessToken(t, ADMIN_EMAIL, ADMIN_PASSWORD, -2);
}

/** Audit rows of an action, oldest first. */
export function auditRows(t: TestGatehouse, action: string): Promise<Array<{ actor: string; target: string; outcome: string; partner_id: number | null; detail: string }>> {
  return t.store.db.selectFrom('audit_log').select(['actor', 'target', 'outcome', 'partner_id', 'detail']).where('action', '=', action).orderBy('id').execute();
}
