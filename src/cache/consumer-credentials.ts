/**
 * Consumer credentials by key (the token's `iss` or `kid`), with their consumer and the imported
 * verification key, so the gateway verifies a consumer JWT without a database read in the steady
 * state. Keyed by the credential key, an identifier every token carries in clear, never by a
 * secret (STYLE rule 5); the HS256 secret lives in the entry as a KeyObject because verifying
 * needs it. Unknown keys are cached in a separate, smaller, shorter-lived negative cache so a flood
 * of made-up `iss` values neither reaches the database nor evicts real credentials.
 *
 * `changed` is the one invalidation point: it drops the entries here and publishes
 * `consumerCredential:<key>` on the change feed; CacheSync hands every node's feed to `drop`, so a
 * deleted consumer, a deprecated credential or new groups take effect on every node within one
 * sync interval. Creating a credential publishes too: a negative entry for its key must go.
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Consumer, ConsumerCredential } from '../services/model.js';
import type { ChangeFeed, ConsumerCredentialDirectory, ConsumerRepo, CredentialEntry } from '../services/ports.js';
import { RecordCache, type RecordCacheLimits } from './record-cache.js';

/** The change-feed topic of this cache. */
export const CONSUMER_CREDENTIAL_TOPIC = 'consumerCredential';
/**
 * The key that means "every credential" on this topic: a change to a consumer with very many
 * credentials (a device consumer's groups) is one feed row that empties the cache, rather than one
 * row per device. Not a possible credential key: keys have no space.
 */
export const ALL_CREDENTIALS = '* all';
/**
 * More keys than this in one change are announced as ALL_CREDENTIALS: the caches refill from the
 * database within seconds, where one feed row per device would take as long to write as to apply.
 */
const MANY_KEYS = 1000;
export const manyAsAll = (keys: readonly string[]): readonly string[] => (keys.length > MANY_KEYS ? [ALL_CREDENTIALS] : keys);

export interface ConsumerCredentialCacheDeps {
  consumers: ConsumerRepo;
  changes: ChangeFeed;
  nowSec: () => number;
  /** A stored public key that no longer imports: the credential is treated as unknown, and this says why. */
  onLoadError: (e: unknown, key: string) => void;
  /** A background re-read of `count` credentials that failed (the held entries stay usable until they expire). */
  onRefreshError?: (e: unknown, count: number) => void;
}

export type ConsumerCredentialCacheOptions = RecordCacheLimits;

function verifyKeyOf(c: ConsumerCredential): KeyObject {
  if (c.algorithm === 'HS256') {
    if (c.secret === null) throw new Error('HS256 credential without a secret');
    // The secret's UTF-8 bytes, as Kong (secret_is_base64 = false) and PyJWT use it.
    return createSecretKey(Buffer.from(c.secret, 'utf8'));
  }
  if (c.publicKey === null) throw new Error(`${c.algorithm} credential without a public key`);
  return createPublicKey(c.publicKey);
}

export class CachedConsumerCredentials implements ConsumerCredentialDirectory {
  private readonly records: RecordCache<CredentialEntry>;

  constructor(private readonly deps: ConsumerCredentialCacheDeps, opts: ConsumerCredentialCacheOptions = {}) {
    this.records = new RecordCache<CredentialEntry>({
      ...opts,
      maxEntries: opts.maxEntries ?? 100_000,
      load: (key) => this.load(key),
      loadMany: (keys) => this.loadMany(keys),
      // The verification key is derived from the credential; equal rows need no new signature check.
      same: (held, fresh) => isDeepStrictEqual(held.credential, fresh.credential) && isDeepStrictEqual(held.consumer, fresh.consumer),
      onRefreshError: deps.onRefreshError,
    });
  }

  /** The cached entry without loading: the entry, `null` for a cached miss, `undefined` when not cached. */
  peek(key: string): CredentialEntry | null | undefined {
    return this.records.peek(key);
  }

  byKey(key: string): Promise<CredentialEntry | undefined> {
    return this.records.get(key);
  }

  async changed(keys: readonly string[]): Promise<void> {
    const now = this.deps.nowSec();
    for (const key of keys) {
      if (key === ALL_CREDENTIALS) this.clear();
      else this.records.forget(key);
      await this.deps.changes.publish(CONSUMER_CREDENTIAL_TOPIC, key, now);
    }
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    if (topic === CONSUMER_CREDENTIAL_TOPIC) {
      if (key === ALL_CREDENTIALS) this.clear();
      else this.records.forget(key);
    }
    else if (topic === '*') this.clear();
  }

  clear(): void {
    this.records.clear();
  }

  /** Resolves once no background re-read is queued or running. */
  settled(): Promise<void> {
    return this.records.settled();
  }

  private async load(key: string): Promise<CredentialEntry | undefined> {
    const found = await this.deps.consumers.credentialByKey(key);
    return found && this.entryOf(key, found);
  }

  private async loadMany(keys: readonly string[]): Promise<Map<string, CredentialEntry>> {
    const entries = new Map<string, CredentialEntry>();
    for (const [key, found] of await this.deps.consumers.credentialsByKeys(keys)) {
      const entry = this.entryOf(key, found);
      if (entry) entries.set(key, entry);
    }
    return entries;
  }

  private entryOf(key: string, found: { credential: ConsumerCredential; consumer: Consumer }): CredentialEntry | undefined {
    try {
      return { ...found, verifyKey: verifyKeyOf(found.credential) };
    } catch (e) {
      // Fail closed: a credential whose key cannot be imported verifies nothing.
      this.deps.onLoadError(e, key);
      return undefined;
    }
  }
}
