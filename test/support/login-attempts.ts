/**
 * Helpers for the sign-in budget tests (issue 15): calls from a chosen client address through a
 * trusted proxy, and a count of the argon2 verifications the server runs — the deterministic
 * stand-in for "every path costs the same time".
 */
import { vi, type MockInstance } from 'vitest';
import { PasswordService } from '../../src/services/passwords.js';
import type { TestGatehouse } from './gatehouse.js';

/** Env for a Gatehouse that believes X-Forwarded-For from the test's own loopback socket. */
export const BEHIND_PROXY = { GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1' };

/** An official-client request sent as if from `ip` (X-Forwarded-For through the trusted proxy). */
export function fromAddress<R extends { getHeaders(c: unknown): Record<string, string> }>(request: R, ip: string): R {
  const own = request.getHeaders.bind(request);
  request.getHeaders = (c: unknown) => ({ ...own(c), 'X-Forwarded-For': ip });
  return request;
}

export interface PasswordChecks {
  /** argon2 verifications of any hash (the dummy one included) since the last reset. */
  total(): number;
  /** Verifications against `hash` (a login's stored hash) since the last reset. */
  against(hash: string): number;
  reset(): void;
  restore(): void;
}

/** Counts PasswordService.verify calls in this test process (verifyDummy goes through verify too). */
export function countPasswordChecks(): PasswordChecks {
  const spy: MockInstance<PasswordService['verify']> = vi.spyOn(PasswordService.prototype, 'verify');
  return {
    total: () => spy.mock.calls.length,
    against: (hash) => spy.mock.calls.filter(([h]) => h === hash).length,
    reset: () => spy.mockClear(),
    restore: () => spy.mockRestore(),
  };
}

/** A login's stored password hash. */
export async function storedHash(t: TestGatehouse, email: string): Promise<string> {
  const r = await t.store.db.selectFrom('login_data').select('password_hash').where('login_key', '=', email.toLowerCase()).executeTakeFirstOrThrow();
  return r.password_hash;
}

/** A login's counter row of one scope (undefined when it has none). */
export function counterRow(t: TestGatehouse, scope: 'address' | 'login' | 'login_address', loginKey: string, address: string) {
  return t.store.db.selectFrom('login_attempts').selectAll().where('scope', '=', scope).where('login_key', '=', loginKey).where('address', '=', address).executeTakeFirst();
}
