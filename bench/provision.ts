/**
 * Gets a bench partner and KS the way a client would: over the Kaltura door (JSON bodies, format=1),
 * so the KS under test is minted by the real session.start path, not by calling the codec directly.
 */

/** Posts a JSON body to `/api_v3/service/{service}/action/{action}` and returns the response text. */
export type PostJson = (path: string, body: string) => Promise<string>;

export const BENCH_ADMIN_EMAIL = 'bench-operator@gatehouse.test';
export const BENCH_ADMIN_PASSWORD = 'bench-Operator-Password-1';
export const SESSION_GET_PATH = '/api_v3/service/session/action/get';

export interface BenchSession {
  partnerId: number;
  ks: string;
  /** The exact JSON body every session.get request sends. */
  body: string;
  /** The partner's admin secret (bench/delivery.ts starts a viewer's USER session with it). */
  adminSecret: string;
}

export async function call(post: PostJson, service: string, action: string, params: Record<string, unknown>): Promise<unknown> {
  const text = await post(`/api_v3/service/${service}/action/${action}`, JSON.stringify({ ...params, format: 1 }));
  const result: unknown = JSON.parse(text);
  if (typeof result === 'object' && result !== null && (result as { objectType?: unknown }).objectType === 'KalturaAPIException') {
    throw new Error(`${service}.${action} failed: ${text}`);
  }
  return result;
}

/**
 * Operator login → partner.register → session.start with the partner's admin secret. The KS is a
 * typical publisher-console one: ADMIN type, the partner's admin user, a `disableentitlement`
 * privilege, valid for a day (far longer than any run).
 */
export async function provisionSession(post: PostJson): Promise<BenchSession> {
  const operatorKs = (await call(post, 'user', 'loginByLoginId', { loginId: BENCH_ADMIN_EMAIL, password: BENCH_ADMIN_PASSWORD, partnerId: -2 })) as string;
  const adminEmail = 'bench-admin@uni.test';
  const partner = (await call(post, 'partner', 'register', {
    ks: operatorKs,
    partner: { objectType: 'KalturaPartner', name: 'Bench University', adminName: 'Bench Admin', adminEmail, description: 'bench' },
    cmsPassword: 'correct-Horse-battery-9',
  })) as { id: number; adminSecret: string };
  const ks = (await call(post, 'session', 'start', {
    secret: partner.adminSecret,
    userId: adminEmail,
    type: 2,
    partnerId: partner.id,
    expiry: 86400,
    privileges: 'disableentitlement',
  })) as string;
  if (typeof ks !== 'string' || !ks.startsWith('djJ8')) throw new Error(`session.start did not return a v2 KS: ${JSON.stringify(ks)}`);
  return { partnerId: partner.id, ks, body: JSON.stringify({ ks, format: 1 }), adminSecret: partner.adminSecret };
}

/**
 * Throws unless `text` is the KalturaSessionInfo of `session` (not an exception): the check that
 * the load test measures successful validations, not fast rejections.
 */
export function assertSessionInfo(text: string, session: BenchSession): void {
  let info: Record<string, unknown>;
  try {
    info = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`session.get answered non-JSON: ${text.slice(0, 200)}`);
  }
  if (info.objectType !== 'KalturaSessionInfo' || info.partnerId !== String(session.partnerId) || info.sessionType !== '2') {
    throw new Error(`session.get did not answer a KalturaSessionInfo for the bench KS: ${text.slice(0, 300)}`);
  }
}

/**
 * An app token of the bench partner and the canonical client flow up to the startSession call:
 * widget session, then SHA-256 over that exact widget KS + token. The same request can be replayed:
 * startSession consumes nothing, each answer is a fresh KS.
 */
export async function provisionAppTokenSession(post: PostJson, session: BenchSession): Promise<{ body: string; tokenId: string }> {
  const { createHash } = await import('node:crypto');
  const token = (await call(post, 'apptoken', 'add', { ks: session.ks, appToken: { objectType: 'KalturaAppToken', hashType: 'SHA256', sessionType: 0, sessionUserId: 'lms-bot' } })) as { id: string; token: string };
  const widget = (await call(post, 'session', 'startWidgetSession', { widgetId: `_${session.partnerId}` })) as { ks: string };
  const tokenHash = createHash('sha256').update(widget.ks + token.token).digest('hex');
  return { tokenId: token.id, body: JSON.stringify({ ks: widget.ks, id: token.id, tokenHash, format: 1 }) };
}

/** True when `text` is a KalturaSessionInfo minted from the bench app token (not an exception). */
export function isAppTokenSession(text: string, tokenId: string): boolean {
  return text.startsWith('{"ks":"djJ8') && text.includes(`apptoken:${tokenId}`) && text.endsWith('"objectType":"KalturaSessionInfo"}');
}
