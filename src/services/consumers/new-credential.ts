/**
 * Building a new consumer credential: HS256 with a generated key and secret (Kong's defaults, what
 * Sunbird hands out), or RS256/ES256 around a public key the consumer keeps the private half of.
 * Callers may choose the key (a partner's `iss`, or the `kid` their signer puts in the header),
 * never the secret: secrets come from the CSPRNG only (ASVS 11.5.1).
 */
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { keyProblems } from '../../core/consumers/rules.js';
import { randomHex } from '../../core/crypto/random.js';
import { E, fail } from '../../core/errors/index.js';
import { CREDENTIAL_ALGORITHMS, type Consumer, type ConsumerCredential, type CredentialAlgorithm } from '../model.js';

export interface CredentialInput {
  /** The credential key (`iss`, or the header `kid` of tokens); default: 32 random hex characters. */
  key?: unknown;
  /** HS256 (default), RS256 or ES256. */
  algorithm?: unknown;
  /** PEM SPKI public key; required for RS256/ES256, refused for HS256. */
  publicKey?: unknown;
}

const MAX_PEM = 16_384;
const MIN_RSA_BITS = 2048;

/** 128 bits, as 32 hex characters: the shape of Kong's generated keys and secrets (seed 002's example). */
export const generateCredentialKey = (): string => randomHex(16);
export const generateCredentialSecret = (): string => randomHex(16);

function bad(detail: string): never {
  throw fail(E.BAD_REQUEST, { DETAIL: detail });
}

function algorithmOf(v: unknown): CredentialAlgorithm {
  if (v === undefined || v === null || v === '') return 'HS256';
  if (typeof v === 'string' && (CREDENTIAL_ALGORITHMS as readonly string[]).includes(v)) return v as CredentialAlgorithm;
  return bad(`ALGORITHM MUST BE ONE OF ${CREDENTIAL_ALGORITHMS.join(', ')}`);
}

/**
 * Parses and checks a public key for its algorithm and returns it re-encoded as SPKI PEM. A
 * private key is refused outright (createPublicKey would quietly derive the public half, and the
 * caller would have sent us a secret); RSA below 2048 bits and EC curves other than P-256 too.
 */
export function checkPublicKey(algorithm: 'RS256' | 'ES256', pem: unknown): string {
  if (typeof pem !== 'string' || pem.length === 0) return bad('PUBLICKEY IS MANDATORY FOR RS256 AND ES256');
  if (pem.length > MAX_PEM || !/-----BEGIN PUBLIC KEY-----/.test(pem) || /PRIVATE KEY/.test(pem)) return bad('PUBLICKEY MUST BE A PEM "PUBLIC KEY" (SPKI)');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return bad('PUBLICKEY IS NOT A VALID PEM PUBLIC KEY');
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (algorithm === 'RS256' && !(key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= MIN_RSA_BITS)) {
    return bad(`RS256 NEEDS AN RSA PUBLIC KEY OF AT LEAST ${MIN_RSA_BITS} BITS`);
  }
  if (algorithm === 'ES256' && !(key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1')) {
    return bad('ES256 NEEDS AN EC P-256 PUBLIC KEY');
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** A new, active credential for `consumer` from the request's fields (validated here). */
export function newCredential(consumer: Consumer, input: CredentialInput, now: number): ConsumerCredential {
  const problems = keyProblems(input.key);
  if (problems.length) bad(problems.join(', '));
  const algorithm = algorithmOf(input.algorithm);
  const hasKey = input.publicKey !== undefined && input.publicKey !== null && input.publicKey !== '';
  if (algorithm === 'HS256' && hasKey) bad('PUBLICKEY IS ONLY FOR RS256 AND ES256');
  return {
    id: randomUUID(),
    partnerId: consumer.partnerId,
    consumerId: consumer.id,
    key: typeof input.key === 'string' ? input.key : generateCredentialKey(),
    algorithm,
    secret: algorithm === 'HS256' ? generateCredentialSecret() : null,
    publicKey: algorithm === 'HS256' ? null : checkPublicKey(algorithm, input.publicKey),
    createdAt: now,
    deprecatedAt: null,
    expiresAt: null,
    replacedBy: null,
  };
}
