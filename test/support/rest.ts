/** Helpers for REST-door tests: raw `fetch` against a real Gatehouse, plus the setup every suite needs. */
import { randomBytes } from 'node:crypto';
import { adminKs, client, kaltura, run, type TestGatehouse, type TestPartner } from './gatehouse.js';

export interface RestResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface CallOptions {
  body?: unknown;
  /** A body sent exactly as given (malformed JSON, other content types). */
  raw?: string;
  contentType?: string;
  token?: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export async function api(t: TestGatehouse, method: string, path: string, o: CallOptions = {}): Promise<RestResponse> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.key) headers['x-api-key'] = o.key;
  let body: string | undefined;
  if (o.raw !== undefined) {
    body = o.raw;
    headers['content-type'] = o.contentType ?? 'application/json';
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] = 'application/json';
  }
  const qs = o.query ? `?${new URLSearchParams(o.query).toString()}` : '';
  const res = await fetch(`${t.url}${path}${qs}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** An access token for a login, asserting success. */
export async function accessToken(t: TestGatehouse, username: string, password: string, partnerId?: number): Promise<string> {
  const r = await api(t, 'POST', '/api/auth/access-token', { body: { username, password, ...(partnerId !== undefined ? { partnerId } : {}) } });
  if (r.status !== 200) throw new Error(`access-token failed: ${r.status} ${r.text}`);
  return r.json.data.access_token as string;
}

/** The partner admin's (account owner's, role `*`) access token. */
export function adminToken(t: TestGatehouse, p: TestPartner): Promise<string> {
  return accessToken(t, p.adminEmail, p.password, p.id);
}

/** An ISO date-time `days` from the server's (test) clock. */
export function fromNow(t: TestGatehouse, days: number): string {
  return new Date(t.clock.nowMs() + days * 86400_000).toISOString();
}

export async function createKey(t: TestGatehouse, token: string, body: Record<string, unknown> = {}): Promise<string> {
  const r = await api(t, 'POST', '/api/auth/api-key', { token, body: { validTo: fromNow(t, 30), ...body } });
  if (r.status !== 201) throw new Error(`api-key failed: ${r.status} ${r.text}`);
  return r.json.data as string;
}

/** A login user of the partner whose role grants exactly `permissionNames` (not an admin). */
export async function userWithPermissions(t: TestGatehouse, p: TestPartner, permissionNames: string): Promise<{ id: string; email: string; password: string; roleId: number }> {
  const ks = await adminKs(t, p);
  const tag = randomBytes(3).toString('hex');
  const role = await run(client(t, ks), kaltura.services.userRole.add(new kaltura.objects.UserRole({ name: `role-${tag}`, permissionNames: permissionNames || 'PLAYBACK_BASE_PERMISSION', status: 1 })));
  const email = `user-${tag}@uni.test`;
  const password = `long-enough-password-${tag}`;
  await run(client(t, ks), kaltura.services.user.add(new kaltura.objects.User({ id: `user-${tag}`, email, password, roleIds: String(role.id) })));
  return { id: `user-${tag}`, email, password, roleId: role.id };
}

/** The problem+json shape every REST error has. */
export function expectProblem(r: RestResponse, status: number, code: string): void {
  const ok = r.status === status && r.headers.get('content-type')?.startsWith('application/problem+json') && r.json?.code === code && r.json?.status === status && r.json?.type === `urn:gatehouse:error:${code}` && typeof r.json?.title === 'string' && typeof r.json?.detail === 'string';
  if (!ok) throw new Error(`expected ${status} ${code} problem, got ${r.status} ${r.headers.get('content-type')} ${r.text}`);
}
