/**
 * A consumer's signing key pool (issue 19): RS256 keys whose private halves Gatehouse generates
 * and keeps sealed under the master key, used by `/v2/consumer/{username}/credential/register` to
 * sign device tokens. Each key is also an ordinary RS256 credential of the consumer whose `key` is
 * the `kid` those tokens carry, so the gateway verifies them like any credential (kid first).
 * Rotation is by adding keys: new registrations pick among the keys that may sign, and retiring a
 * key drops its private half and expires its credential, so every token it signed is refused on
 * every node within one cache-sync interval. Listing never returns a private key.
 */
import { createHash, generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { keyProblems } from '../../core/consumers/rules.js';
import { randomHex } from '../../core/crypto/random.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { Consumer, ConsumerCredential } from '../model.js';
import { DuplicateKeyError, type ConsumerCredentialDirectory, type ConsumerRepo } from '../ports.js';

const generateRsa = promisify(generateKeyPair);
/** Sunbird's pool keys are RSA 2048; so are ours. */
const RSA_BITS = 2048;

export interface PoolKeyInfo {
  kid: string;
  algorithm: 'RS256';
  status: 'active' | 'retired';
  createdAt: number;
  retiredAt: number | null;
  /** SHA-256 of the DER SPKI, base64url: tells keys apart without printing them. */
  fingerprint: string;
}

export interface KeyPoolDeps {
  consumers: ConsumerRepo;
  credentials: Pick<ConsumerCredentialDirectory, 'changed'>;
  audit: Auditor;
  clock: Clock;
  /** Who the audit names (e.g. 'cli:key-pool'). */
  actor: string;
}

function fingerprintOf(publicPem: string | null): string {
  if (!publicPem) return '';
  const der = Buffer.from(publicPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('base64url');
}

function infoOf(c: ConsumerCredential, now: number): PoolKeyInfo {
  const retired = c.deprecatedAt !== null || (c.expiresAt !== null && c.expiresAt <= now);
  return { kid: c.key, algorithm: 'RS256', status: retired ? 'retired' : 'active', createdAt: c.createdAt, retiredAt: retired ? c.expiresAt : null, fingerprint: fingerprintOf(c.publicKey) };
}

export class KeyPool {
  constructor(private readonly d: KeyPoolDeps) {}

  /** A new RS256 pool key for the consumer; `kid` defaults to `<username>_key_<8 hex>`. */
  async add(partnerId: number, username: string, kid?: string): Promise<PoolKeyInfo> {
    const consumer = await this.consumer(partnerId, username);
    const key = kid ?? `${username}_key_${randomHex(4)}`;
    const problems = keyProblems(key);
    if (problems.length) throw fail(E.BAD_REQUEST, { DETAIL: problems.join(', ') });
    const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: RSA_BITS });
    const now = nowSeconds(this.d.clock);
    const credential: ConsumerCredential = {
      id: randomUUID(),
      partnerId,
      consumerId: consumer.id,
      key,
      algorithm: 'RS256',
      secret: null,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      createdAt: now,
      deprecatedAt: null,
      expiresAt: null,
      replacedBy: null,
      kind: 'pool',
    };
    try {
      await this.d.consumers.insertPoolKey(credential, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    } catch (e) {
      if (e instanceof DuplicateKeyError && e.constraint === 'consumer_credentials.key') throw fail(E.CREATE_CREDENTIAL_ERROR, { DETAIL: `KEY : ${key}, already exists.` });
      throw e;
    }
    // A lookup of this kid before it existed may have left a negative entry on some node.
    await this.d.credentials.changed([key]);
    await this.audited(consumer, 'consumer.keypool.add', credential.id, { username, kid: key });
    return infoOf(credential, now);
  }

  async list(partnerId: number, username: string): Promise<PoolKeyInfo[]> {
    const consumer = await this.consumer(partnerId, username);
    const now = nowSeconds(this.d.clock);
    return (await this.d.consumers.poolKeys(partnerId, consumer.id)).map((c) => infoOf(c, now));
  }

  /** Retires a pool key: nothing signs with it again and its tokens are refused from now on. */
  async retire(partnerId: number, username: string, kid: string): Promise<PoolKeyInfo> {
    const consumer = await this.consumer(partnerId, username);
    const now = nowSeconds(this.d.clock);
    const retired = await this.d.consumers.retirePoolKey(partnerId, consumer.id, kid, now);
    if (!retired) throw fail(E.CREDENTIAL_NOT_FOUND, { KEY: kid });
    await this.d.credentials.changed([kid]);
    await this.audited(consumer, 'consumer.keypool.retire', retired.id, { username, kid });
    return infoOf(retired, now);
  }

  private async consumer(partnerId: number, username: string): Promise<Consumer> {
    const consumer = await this.d.consumers.byUsername(partnerId, username);
    if (!consumer) throw fail(E.CONSUMER_GET_ERROR, { USERNAME: username });
    return consumer;
  }

  private audited(consumer: Consumer, action: string, target: string, detail: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: consumer.partnerId, actor: this.d.actor, action, target, outcome: 'success', clientIp: '', detail });
  }
}
