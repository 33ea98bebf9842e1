/**
 * What the machine-access services (API keys, protected services, signing keys, API consumers and
 * their credentials) need from storage and from the caches in front of it. Re-exported by ports.ts.
 */
import type { KeyObject } from 'node:crypto';
import type { ApiKey, ApiService, Consumer, ConsumerCredential, ListResult, Page, SigningKey } from './model.js';

export interface ApiKeyRepo {
  insert(k: ApiKey): Promise<ApiKey>;
  byHash(hash: string): Promise<ApiKey | undefined>;
  /** Several keys in one read, by hash (the caches' background re-read); absent hashes are left out. */
  byHashes(hashes: readonly string[]): Promise<Map<string, ApiKey>>;
  get(partnerId: number, id: string): Promise<ApiKey | undefined>;
  /** The partner's keys, newest first, revoked ones included. */
  list(partnerId: number, page: Page): Promise<ListResult<ApiKey>>;
  /** Marks the key revoked; idempotent (the first revocation time stays). */
  revoke(partnerId: number, id: string, now: number): Promise<ApiKey | undefined>;
}

/** The fields of a service a change may set. */
export type ApiServicePatch = Partial<Pick<ApiService, 'name' | 'routePrefix' | 'allowedGroups' | 'requiredPermissions' | 'access' | 'deniedGroups' | 'methods' | 'rateLimits' | 'updatedAt'>>;

export interface ApiServiceRepo {
  /** Throws DuplicateKeyError('api_services.name' | 'api_services.route_prefix'). */
  insert(s: ApiService): Promise<ApiService>;
  get(partnerId: number, id: string): Promise<ApiService | undefined>;
  list(partnerId: number, page: Page): Promise<ListResult<ApiService>>;
  /** The subset of `ids` that are services of the partner. */
  existing(partnerId: number, ids: readonly string[]): Promise<string[]>;
  /** Throws DuplicateKeyError like insert. */
  update(partnerId: number, id: string, patch: ApiServicePatch): Promise<ApiService | undefined>;
  delete(partnerId: number, id: string): Promise<boolean>;
}

export interface SigningKeyRepo {
  /** Keys retiring after `retiredAfter`, oldest first, private parts opened. */
  list(retiredAfter: number): Promise<SigningKey[]>;
  /** False when a key with the same `activatesAt` already exists (another node won the rotation race). */
  insert(k: SigningKey): Promise<boolean>;
  /** Deletes keys that retired before `before`. */
  purge(before: number): Promise<void>;
}

/**
 * Cached API-key lookups by HMAC (never by the key itself), with negative entries. `changed`
 * drops the entry here and, through the change feed, on every other node.
 */
export interface ApiKeyDirectory {
  byHash(hash: string): Promise<ApiKey | undefined>;
  changed(hash: string): Promise<void>;
}

/** API consumers and their credentials, per partner. */
export interface ConsumerRepo {
  /** Throws DuplicateKeyError('consumers.username'). */
  insert(c: Consumer): Promise<Consumer>;
  byUsername(partnerId: number, username: string): Promise<Consumer | undefined>;
  /** The partner's consumers by username; `search`: username contains (case-insensitive). */
  list(partnerId: number, page: Page, search?: string): Promise<ListResult<Consumer>>;
  /** Replaces the consumer's groups. */
  setGroups(partnerId: number, id: string, groups: readonly string[], now: number): Promise<Consumer | undefined>;
  /** Deletes the consumer and its credentials; returns the keys of the deleted credentials. */
  delete(partnerId: number, id: string): Promise<string[]>;
  /** Throws DuplicateKeyError('consumer_credentials.key'). */
  insertCredential(c: ConsumerCredential): Promise<ConsumerCredential>;
  /** The keys of the consumer's credentials (no secret opened: a device consumer may have 100,000). */
  credentialKeys(partnerId: number, consumerId: string): Promise<string[]>;
  /** The consumer's credentials, oldest first, secrets opened; `withDevices` false leaves self-registered ones out. */
  credentials(partnerId: number, consumerId: string, withDevices?: boolean): Promise<ConsumerCredential[]>;
  /** How many self-registered (device) credentials the consumer holds. */
  deviceCredentialCount(partnerId: number, consumerId: string): Promise<number>;
  /** A credential with its (live) consumer, by key across every partner: what the gateway looks up. */
  credentialByKey(key: string): Promise<{ credential: ConsumerCredential; consumer: Consumer } | undefined>;
  /** Several credentials in one read, by key (the cache's background re-read); absent keys are left out. */
  credentialsByKeys(keys: readonly string[]): Promise<Map<string, { credential: ConsumerCredential; consumer: Consumer }>>;
  /**
   * Deprecates a credential of the partner: `deprecated_at` is set once (a second call keeps the
   * first time); `expiresAt` replaces the hard expiry when given (null clears it).
   */
  deprecate(partnerId: number, key: string, now: number, expiresAt: number | null | undefined): Promise<ConsumerCredential | undefined>;
  /** Records the replacement of a credential, only if it has none yet (single use); false otherwise. */
  markReplaced(partnerId: number, key: string, replacementId: string): Promise<boolean>;
  /** Sets the consumer's device-registration settings (null registrationGroup: not a device consumer). */
  setRegistration(partnerId: number, id: string, settings: ConsumerRegistrationSettings, now: number): Promise<Consumer | undefined>;
  /** A new secret (and expiry) for the consumer's self-registered HS256 credential `key`; undefined when it has none such. */
  rotateDeviceSecret(consumer: Consumer, key: string, secret: string, expiresAt: number | null): Promise<ConsumerCredential | undefined>;
  /** Inserts a pool key (kind 'pool') with its private key sealed; DuplicateKeyError('consumer_credentials.key') on a taken kid. */
  insertPoolKey(c: ConsumerCredential, privateKeyPem: string): Promise<void>;
  /** The consumer's pool keys, retired ones included, oldest first (no private keys). */
  poolKeys(partnerId: number, consumerId: string): Promise<ConsumerCredential[]>;
  /** The pool keys that may sign now, with their private keys opened. */
  poolSigningKeys(partnerId: number, consumerId: string, now: number): Promise<PoolSigningKey[]>;
  /** Retires a pool key: its private key is dropped and it expires now. Undefined when the consumer has no such pool key. */
  retirePoolKey(partnerId: number, consumerId: string, key: string, now: number): Promise<ConsumerCredential | undefined>;
}

export interface ConsumerRegistrationSettings {
  registrationGroup: string | null;
  credentialLifetime: number | null;
  registrationRateLimit: number | null;
}

/** A pool key able to sign: its kid (the credential key) and PKCS#8 PEM private key. */
export interface PoolSigningKey {
  kid: string;
  privateKeyPem: string;
}

/** A credential as the gateway needs it: record, consumer, and the key that verifies its tokens. */
export interface CredentialEntry {
  credential: ConsumerCredential;
  consumer: Consumer;
  /** HMAC secret or public key, imported once per cache fill. */
  verifyKey: KeyObject;
}

/**
 * Cached credential lookups by key, with negative entries. `changed` drops the entries here and,
 * through the change feed, on every other node: the one invalidation point for every write that
 * affects a credential (its consumer's groups, deletion, deprecation, creation).
 */
export interface ConsumerCredentialDirectory {
  byKey(key: string): Promise<CredentialEntry | undefined>;
  /** The cached entry without loading (`null`: a cached miss, `undefined`: not cached). */
  peek(key: string): CredentialEntry | null | undefined;
  changed(keys: readonly string[]): Promise<void>;
}
