/**
 * Helpers for consumer-door and gateway tests: Sunbird envelope calls, consumer JWTs built byte for
 * byte the way Sunbird's onboarding script builds them, and forward-auth questions to /authz/api.
 */
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { expect } from 'vitest';
import { SignJWT } from 'jose';
import type { TestGatehouse } from './gatehouse.js';
import { api, type CallOptions, type RestResponse } from './rest.js';

/** POST /v1/consumer/{path} with a Sunbird request envelope around `request` (or a raw body). */
export function sunbird(t: TestGatehouse, path: string, request: Record<string, unknown> | undefined, o: Omit<CallOptions, 'body'> & { msgid?: string } = {}): Promise<RestResponse> {
  const body = request === undefined ? undefined : { id: 'sunbird.api.consumer', ver: '1.0', ets: 1538296140, params: { msgid: o.msgid ?? 'msg-1' }, request };
  return api(t, 'POST', `/v1/consumer/${path}`, { ...o, ...(body !== undefined && o.raw === undefined ? { body } : {}) });
}

/** The envelope every consumer-door answer has; returns `result`. */
export function expectEnvelope(r: RestResponse, status: number, action: string, err?: string): Record<string, any> {
  const ok = r.status === status && r.headers.get('content-type')?.startsWith('application/json');
  if (!ok) throw new Error(`expected ${status} ${err ?? 'successful'} envelope, got ${r.status} ${r.headers.get('content-type')} ${r.text}`);
  expect(Object.keys(r.json)).toEqual(['id', 'ver', 'ets', 'params', 'result']);
  expect(r.json.id).toBe(`ekstep.api.am.adminutil.${action}`);
  expect(r.json.ver).toBe('1.0');
  expect(typeof r.json.ets).toBe('number');
  expect(Object.keys(r.json.params)).toEqual(['status', 'err', 'errmsg', 'msgid', 'resmsgid']);
  expect(r.json.params.resmsgid).toMatch(/^[0-9a-f-]{36}$/);
  if (err === undefined) expect(r.json.params).toMatchObject({ status: 'successful', err: null, errmsg: null });
  else {
    expect(r.json.params).toMatchObject({ status: 'failed', err });
    expect(typeof r.json.params.errmsg).toBe('string');
    expect(r.json.result).toEqual({});
  }
  return r.json.result;
}

export async function createConsumer(t: TestGatehouse, token: string, username: string): Promise<{ key: string; secret: string }> {
  const r = await sunbird(t, 'create', { username }, { token });
  const result = expectEnvelope(r, 200, 'consumer.create');
  return { key: result.key, secret: result.secret };
}

export async function grant(t: TestGatehouse, token: string, username: string, groups: string[]): Promise<void> {
  expectEnvelope(await sunbird(t, `${username}/grant`, { groups }, { token }), 200, 'consumer.grant');
}

export async function createService(t: TestGatehouse, token: string, body: { name: string; routePrefix: string; allowedGroups?: string[]; requiredPermissions?: string[]; [field: string]: unknown }): Promise<string> {
  const r = await api(t, 'POST', '/api/services', { token, body });
  if (r.status !== 201) throw new Error(`service failed: ${r.status} ${r.text}`);
  return r.json.data.id as string;
}

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/**
 * An HS256 JWT from exact header and payload JSON text. Sunbird's kong_consumers.py calls PyJWT's
 * `jwt.encode({'iss': key}, secret, algorithm='HS256')`: compact JSON (separators `,` `:`), header
 * `{"typ":"JWT","alg":"HS256"}` from PyJWT 1.x (dict order) or `{"alg":"HS256","typ":"JWT"}` from
 * 2.x (sorted headers), base64url without padding, HMAC-SHA-256 over the UTF-8 secret.
 */
export function hs256Raw(headerJson: string, payloadJson: string, secret: string | Buffer): string {
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function sunbirdToken(key: string, secret: string, pyjwt: 1 | 2 = 1): string {
  const header = pyjwt === 1 ? '{"typ":"JWT","alg":"HS256"}' : '{"alg":"HS256","typ":"JWT"}';
  return hs256Raw(header, JSON.stringify({ iss: key }), secret);
}

/** An HS256 token with any claims (and header additions), for exp/nbf/kid cases. */
export function hs256(secret: string, payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return hs256Raw(JSON.stringify({ typ: 'JWT', alg: 'HS256', ...header }), JSON.stringify(payload), secret);
}

export interface KeyPair {
  privateKey: KeyObject;
  publicPem: string;
}

export function rsaPair(bits = 2048): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function ecPair(curve = 'prime256v1'): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function signAsym(alg: 'RS256' | 'ES256', key: KeyObject, payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header, alg }).sign(key);
}

export interface AuthzCall {
  /** The original request target (X-Original-URI). */
  uri: string;
  method?: string;
  token?: string;
  key?: string;
  headers?: Record<string, string>;
}

/** Asks /authz/api as nginx auth_request does: GET with X-Original-URI / X-Original-Method. */
export function authz(t: TestGatehouse, c: AuthzCall): Promise<RestResponse> {
  return api(t, 'GET', '/authz/api', {
    ...(c.token ? { token: c.token } : {}),
    ...(c.key ? { key: c.key } : {}),
    headers: { 'x-original-uri': c.uri, 'x-original-method': c.method ?? 'GET', ...c.headers },
  });
}

/** A Kong-style refusal: status and `{"message": ...}`. */
export function expectKong(r: RestResponse, status: number, message?: string): void {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${r.text}`);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(r.json)).toEqual(['message']);
  if (message !== undefined) expect(r.json.message).toBe(message);
}
