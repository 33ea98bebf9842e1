/** Helpers for two-factor tests: enrol a login through the REST door, and be its authenticator app. */
import { totpCode, TOTP_PERIOD } from '../../src/core/two-factor/totp.js';
import type { TestGatehouse } from './gatehouse.js';
import { api } from './rest.js';

/** The app's code now (on the server's test clock), or `steps` periods later. */
export function codeFor(t: TestGatehouse, secret: string, steps = 0): string {
  return totpCode(secret, t.clock.nowMs() + steps * TOTP_PERIOD * 1000);
}

/** Moves the test clock to the next time step, so the app shows a fresh code. */
export function nextStep(t: TestGatehouse): void {
  t.clock.advance(TOTP_PERIOD);
}

/** A code that is none of the secret's accepted ones now. */
export function wrongCode(t: TestGatehouse, secret: string): string {
  const good = new Set([-1, 0, 1].map((s) => codeFor(t, secret, s)));
  for (let n = 0; ; n++) {
    const c = String(n).padStart(6, '0');
    if (!good.has(c)) return c;
  }
}

/**
 * Starts and confirms an enrolment with `token` (an access or enrolment token); returns the secret,
 * the recovery codes and the body of the confirmation. Moves the clock to the next step after, so
 * the caller's first sign-in code is not the (used) confirmation code.
 */
export async function enrol(t: TestGatehouse, token: string): Promise<{ secret: string; recoveryCodes: string[]; confirmed: any }> {
  const started = await api(t, 'POST', '/api/me/two-factor', { token });
  if (started.status !== 200) throw new Error(`enrol start failed: ${started.status} ${started.text}`);
  const secret = started.json.data.secret as string;
  const confirmed = await api(t, 'POST', '/api/me/two-factor/confirm', { token, body: { code: codeFor(t, secret) } });
  if (confirmed.status !== 200) throw new Error(`enrol confirm failed: ${confirmed.status} ${confirmed.text}`);
  nextStep(t);
  return { secret, recoveryCodes: confirmed.json.data.recoveryCodes, confirmed: confirmed.json.data };
}
