/**
 * appToken.startSession (protocol §3.3): prove possession of the token by hashing the KS the call
 * was made with, then mint a KS whose type, user, lifetime and privileges the token bounds.
 */
import { E, fail } from '../../core/errors/index.js';
import { buildPrivileges, parsePrivileges, PRIV, RESERVED_PRIVILEGES, verifyAppTokenHash, type PrivilegeMap } from '../../core/ks/index.js';
import { AppTokenStatus, SessionType, type AppToken } from '../model.js';

export interface StartSessionRequest {
  tokenHash: string;
  userId: string;
  type: number;
  expiry: number;
  sessionPrivileges: string;
}

export type StartDecision =
  | { ok: true; type: number; userId: string; ttl: number; privileges: string }
  | { ok: false; error: ReturnType<typeof fail>; reason: string };

/**
 * The pure decision: no storage, no clock of its own. `ksAsSent` is the caller's KS string
 * byte for byte (the hash is computed over it), `now` unix seconds.
 */
export function decideAppTokenSession(token: AppToken, ksAsSent: string, req: StartSessionRequest, now: number): StartDecision {
  if (token.status !== AppTokenStatus.ACTIVE) return { ok: false, error: fail(E.APP_TOKEN_NOT_ACTIVE, { ID: token.id }), reason: 'not active' };
  if (!verifyAppTokenHash(token.hashType, ksAsSent, token.token, req.tokenHash)) {
    return { ok: false, error: fail(E.INVALID_APP_TOKEN_HASH), reason: 'bad hash' };
  }
  let tokenTtl = token.sessionDuration;
  if (token.expiry !== null) tokenTtl = Math.min(tokenTtl, token.expiry - now);
  if (tokenTtl < 0) return { ok: false, error: fail(E.APP_TOKEN_EXPIRED, { ID: token.id }), reason: 'expired' };
  // Not capped by the partner's KS maximum: the token's own duration is the bound (protocol §3.3 step 5).
  const ttl = Math.min(req.expiry > 0 ? req.expiry : tokenTtl, tokenTtl);
  const type = token.sessionType ?? (req.type === SessionType.ADMIN ? SessionType.ADMIN : SessionType.USER);
  const userId = token.sessionUserId ?? req.userId;
  return { ok: true, type, userId, ttl, privileges: mergePrivileges(token, req.sessionPrivileges) };
}

/**
 * `sessionid` and `apptoken` first (deleting the token ends every session minted from it), then the
 * token's privileges, then the caller's — but a caller may neither add a server-reserved privilege
 * nor change one the token set, except to narrow a token privilege whose value is `*`.
 */
export function mergePrivileges(token: AppToken, requested: string): string {
  const merged: PrivilegeMap = new Map([
    [PRIV.sessionid, [token.id]],
    [PRIV.apptoken, [token.id]],
  ]);
  for (const [name, values] of parsePrivileges(token.sessionPrivileges ?? '')) {
    const have = merged.get(name);
    merged.set(name, have ? [...have, ...values.filter((v) => !have.includes(v))] : [...values]);
  }
  for (const [name, values] of parsePrivileges(requested)) {
    const have = merged.get(name);
    const widening = name === PRIV.wildcard || name === PRIV.v2Wildcard;
    if (have) {
      if (have.length === 1 && have[0] === '*' && values.length > 0) merged.set(name, [...values]);
    } else if (!RESERVED_PRIVILEGES.has(name) && !widening) {
      merged.set(name, [...values]);
    }
  }
  return buildPrivileges(merged);
}
