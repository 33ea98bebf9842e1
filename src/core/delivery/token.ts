/**
 * The short-lived token the delivery door appends to its redirects (`gh_token`), so an origin or a
 * CDN can check, without calling Gatehouse, that this very viewer was just allowed this entry.
 * The format is a public contract (README "Delivery enforcement"): never change it without a new `v`.
 *
 *   gh_token = base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))
 *   payload  = UTF-8 JSON {"v":1,"pid":<partner id>,"eid":"<entry id>","ctx":"play|download|thumbnail",
 *                          "exp":<unix seconds>,"ip":"<client IP>"[,"pv":<preview seconds>]}
 *   key      = HKDF-SHA256(ikm = the 32-byte master key, salt = empty, info = DELIVERY_TOKEN_INFO, 32 bytes)
 *
 * The MAC covers the encoded payload exactly as sent (as JWS does), so a verifier never has to
 * re-serialise JSON. The key is derived rather than the master key itself because it is handed to
 * origins and CDNs: HKDF is one-way, so a leaked token key reveals nothing about the master key,
 * which also seals partner secrets.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The HKDF `info` label of the token key (fixed: changing it changes every verifier's key). */
export const DELIVERY_TOKEN_INFO = 'gatehouse/delivery-token/v1';

export type DeliveryContextName = 'play' | 'download' | 'thumbnail';

export interface DeliveryTokenClaims {
  partnerId: number;
  entryId: string;
  context: DeliveryContextName;
  /** Unix seconds after which the token is refused. */
  expiresAt: number;
  /** The client IP the decision was made for (an origin may compare it with what it sees). */
  ip: string;
  /** Seconds the viewer may play, when a preview action applied; absent for the full entry. */
  previewSeconds?: number;
}

/** The 32-byte token key derived from the master key. */
export function deriveDeliveryTokenKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), DELIVERY_TOKEN_INFO, 32));
}

export function signDeliveryToken(key: Buffer, c: DeliveryTokenClaims): string {
  // Fixed key order and no optional noise, so tokens are short and easy to read in logs of an origin.
  const json =
    c.previewSeconds === undefined
      ? JSON.stringify({ v: 1, pid: c.partnerId, eid: c.entryId, ctx: c.context, exp: c.expiresAt, ip: c.ip })
      : JSON.stringify({ v: 1, pid: c.partnerId, eid: c.entryId, ctx: c.context, exp: c.expiresAt, ip: c.ip, pv: c.previewSeconds });
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

export type DeliveryTokenCheck = { ok: true; claims: DeliveryTokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/**
 * The reference verifier (what the README's snippet does): MAC first, in constant time, and only
 * then the claims; a token is usable while `now <= exp`.
 */
export function verifyDeliveryToken(key: Buffer, token: string, nowSec: number): DeliveryTokenCheck {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', key).update(payload).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { v, pid, eid, ctx, exp, ip, pv } = raw;
  if (v !== 1 || typeof pid !== 'number' || typeof eid !== 'string' || typeof exp !== 'number' || typeof ip !== 'string') return { ok: false, reason: 'malformed' };
  if (ctx !== 'play' && ctx !== 'download' && ctx !== 'thumbnail') return { ok: false, reason: 'malformed' };
  if (pv !== undefined && typeof pv !== 'number') return { ok: false, reason: 'malformed' };
  if (nowSec > exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { partnerId: pid, entryId: eid, context: ctx, expiresAt: exp, ip, ...(pv === undefined ? {} : { previewSeconds: pv }) } };
}
