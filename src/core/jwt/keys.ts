/** ES256 key pairs for access tokens, as JWKs (so they can be sealed, stored and published). */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { ACCESS_TOKEN_ALG } from './access-token.js';

export interface GeneratedKey {
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

/** A fresh P-256 pair; `kid` is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(): Promise<GeneratedKey> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  const meta = { kid, alg: ACCESS_TOKEN_ALG, use: 'sig' };
  return { kid, publicJwk: { ...pub, ...meta }, privateJwk: { ...(await exportJWK(privateKey)), ...meta } };
}

export async function importSigningJwk(jwk: Record<string, unknown>): Promise<CryptoKey | KeyObject> {
  const key = await importJWK(jwk as JWK, ACCESS_TOKEN_ALG);
  if (key instanceof Uint8Array) throw new Error('signing key: a symmetric JWK is not an ES256 key');
  return key;
}

/** A published EC public key. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: string;
  use: string;
}

/** Only the public members: what the JWKS may show (never `d`). */
export function publicMembers(jwk: Record<string, unknown>): PublicJwk {
  const str = (k: string) => (typeof jwk[k] === 'string' ? (jwk[k] as string) : '');
  return { kty: str('kty'), crv: str('crv'), x: str('x'), y: str('y'), kid: str('kid'), alg: str('alg'), use: str('use') };
}
