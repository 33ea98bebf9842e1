/**
 * API consumers of a partner (seed 002, Sunbird adminutil's use cases): create, grant, read, delete,
 * register / deprecate / rotate credentials. Protocol-neutral: the consumer door turns these into
 * Sunbird envelopes. Every write is audited and ends at the credential cache's one invalidation
 * point (`credentials.changed`), which every node applies within one cache-sync interval.
 *
 * Deliberate differences from adminutil (README, "API consumers and gateway"):
 * - `create` of an existing username is CONSUMER_ALREADY_EXISTS, and `register` of a taken key is
 *   CREATE_CREDENTIAL_ERROR: adminutil answered both by returning the existing credential with its
 *   secret, so anyone allowed to call it could read any consumer's secret again. Here a secret is
 *   shown once, in the answer that created it.
 * - New consumers start without groups (adminutil added its `default.consumer.group`).
 * - Deprecation and rotation exist (adminutil documented them but never built them): a deprecated
 *   credential is refused at the gateway and may be exchanged, once, for a new credential at the
 *   rotation endpoint, until its optional hard expiry.
 */
import { randomUUID } from 'node:crypto';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { groupsProblems, keyProblems, normaliseGroups, usernameProblems } from '../../core/consumers/rules.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import type { Consumer, ConsumerCredential, ListResult, Page } from '../model.js';
import { DuplicateKeyError, type ConsumerCredentialDirectory, type ConsumerRepo, type CredentialEntry, type UnitOfWork } from '../ports.js';
import { newCredential, type CredentialInput } from './new-credential.js';
// A device consumer's thousands of keys change as one "every credential" feed row.
import { manyAsAll } from '../../cache/consumer-credentials.js';

/** Credentials a consumer may hold at once (expired and already-rotated ones do not count). */
export const MAX_CREDENTIALS = 20;
/** Longest hard expiry a deprecation may set: ten years. */
const MAX_EXPIRES_IN = 10 * 365 * 86400;

export interface ConsumerServiceDeps {
  uow: UnitOfWork;
  consumers: ConsumerRepo;
  credentials: ConsumerCredentialDirectory;
  audit: Auditor;
  clock: Clock;
}

function badRequest(problems: string[]): never {
  throw fail(E.BAD_REQUEST, { DETAIL: problems.join(', ') });
}

export class ConsumerService {
  constructor(private readonly d: ConsumerServiceDeps) {}

  /** A new consumer of the caller's partner with one HS256 credential (key + secret, shown once). */
  async create(p: Principal, username: unknown, meta: RequestMeta): Promise<{ consumer: Consumer; credential: ConsumerCredential }> {
    const problems = usernameProblems(username);
    if (problems.length) badRequest(problems);
    const name = username as string;
    const now = nowSeconds(this.d.clock);
    const consumer: Consumer = { id: randomUUID(), partnerId: p.partnerId, username: name, groups: [], createdAt: now, updatedAt: now };
    const credential = newCredential(consumer, {}, now);
    try {
      await this.d.uow.transaction(async (r) => {
        await r.consumers.insert(consumer);
        await r.consumers.insertCredential(credential);
      });
    } catch (e) {
      if (e instanceof DuplicateKeyError && e.constraint === 'consumers.username') throw fail(E.CONSUMER_ALREADY_EXISTS, { USERNAME: name });
      throw e;
    }
    // A lookup of this key before it existed may have left a negative entry on some node.
    await this.d.credentials.changed([credential.key]);
    await this.audited(p, 'consumer.create', consumer.id, meta, { username: name, key: credential.key, algorithm: credential.algorithm });
    return { consumer, credential };
  }

  /** Replaces the consumer's groups with `groups` (adminutil deletes every ACL row, then adds). */
  async grant(p: Principal, username: string, groups: unknown, meta: RequestMeta): Promise<Consumer> {
    const problems = groupsProblems(groups);
    if (problems.length) badRequest(problems);
    const consumer = await this.read(p, username);
    const updated = await this.d.consumers.setGroups(p.partnerId, consumer.id, normaliseGroups(groups as string[]), nowSeconds(this.d.clock));
    if (!updated) throw fail(E.CONSUMER_GET_ERROR, { USERNAME: username });
    // Cached credentials carry their consumer's groups: drop them so the gateway sees the new set.
    await this.d.credentials.changed(manyAsAll(await this.d.consumers.credentialKeys(p.partnerId, updated.id)));
    await this.audited(p, 'consumer.grant', consumer.id, meta, { username, groups: updated.groups });
    return updated;
  }

  async read(p: Principal, username: string): Promise<Consumer> {
    const consumer = await this.d.consumers.byUsername(p.partnerId, username);
    if (!consumer) throw fail(E.CONSUMER_GET_ERROR, { USERNAME: username });
    return consumer;
  }

  list(p: Principal, page: Page, search?: string): Promise<ListResult<Consumer>> {
    return this.d.consumers.list(p.partnerId, page, search);
  }

  /**
   * The consumer with its credentials, oldest first (callers must not show secrets from here). A
   * device consumer's self-registered credentials (up to one per device) are counted, not listed.
   */
  async withCredentials(p: Principal, username: string): Promise<{ consumer: Consumer; credentials: ConsumerCredential[]; deviceCredentials: number }> {
    const consumer = await this.read(p, username);
    if (!consumer.registrationGroup) return { consumer, credentials: await this.d.consumers.credentials(p.partnerId, consumer.id), deviceCredentials: 0 };
    const [credentials, deviceCredentials] = await Promise.all([this.d.consumers.credentials(p.partnerId, consumer.id, false), this.d.consumers.deviceCredentialCount(p.partnerId, consumer.id)]);
    return { consumer, credentials, deviceCredentials };
  }

  /** `deprecate` for a credential that must belong to `username` (CREDENTIAL_NOT_FOUND otherwise). */
  async deprecateOf(p: Principal, username: string, key: string, expiresIn: unknown, meta: RequestMeta): Promise<ConsumerCredential> {
    const consumer = await this.read(p, username);
    const found = await this.d.consumers.credentialByKey(key);
    if (!found || found.consumer.id !== consumer.id) throw fail(E.CREDENTIAL_NOT_FOUND, { KEY: key });
    return this.deprecate(p, key, expiresIn, meta);
  }

  /** Deletes the consumer and every credential it has; its tokens stop on every node within one sync interval. */
  async delete(p: Principal, username: string, meta: RequestMeta): Promise<void> {
    const consumer = await this.read(p, username);
    const keys = await this.d.consumers.delete(p.partnerId, consumer.id);
    await this.d.credentials.changed(manyAsAll(keys));
    await this.audited(p, 'consumer.delete', consumer.id, meta, { username, keys });
  }

  /** A new credential for the consumer: HS256 by default, or RS256/ES256 with the consumer's public key. */
  async register(p: Principal, username: string, input: CredentialInput, meta: RequestMeta): Promise<ConsumerCredential> {
    const consumer = await this.read(p, username);
    const now = nowSeconds(this.d.clock);
    const credential = newCredential(consumer, input, now);
    await this.checkRoom(consumer, now);
    await this.insert(() => this.d.consumers.insertCredential(credential), credential.key);
    await this.d.credentials.changed([credential.key]);
    await this.audited(p, 'consumer.credential.register', credential.id, meta, { username, key: credential.key, algorithm: credential.algorithm });
    return credential;
  }

  /**
   * Deprecates a credential of the partner: refused at the gateway from now on, accepted only by
   * the rotation endpoint. `expiresIn` (seconds from now, optional; 0 = at once) sets a hard
   * expiry after which the credential is accepted nowhere.
   */
  async deprecate(p: Principal, key: unknown, expiresIn: unknown, meta: RequestMeta): Promise<ConsumerCredential> {
    const problems = key === undefined || key === null || key === '' ? ['KEY IS MANDATORY'] : keyProblems(key);
    if (expiresIn !== undefined && expiresIn !== null && !(Number.isSafeInteger(expiresIn) && (expiresIn as number) >= 0 && (expiresIn as number) <= MAX_EXPIRES_IN)) {
      problems.push(`EXPIRESIN MUST BE AN INTEGER NUMBER OF SECONDS FROM 0 TO ${MAX_EXPIRES_IN}`);
    }
    if (problems.length) badRequest(problems);
    const now = nowSeconds(this.d.clock);
    const expiresAt = typeof expiresIn === 'number' ? now + expiresIn : undefined;
    const credential = await this.d.consumers.deprecate(p.partnerId, key as string, now, expiresAt);
    if (!credential) throw fail(E.CREDENTIAL_NOT_FOUND, { KEY: key as string });
    await this.d.credentials.changed([credential.key]);
    await this.audited(p, 'consumer.credential.deprecate', credential.id, meta, { key: credential.key, deprecatedAt: credential.deprecatedAt, expiresAt: credential.expiresAt });
    return credential;
  }

  /**
   * Exchanges the presented, verified, deprecated credential for a new one of the same consumer.
   * Single use: the old credential records its replacement with a guarded write, so two rotations
   * racing with one credential yield one new credential. The old one stays deprecated (and dies at
   * its hard expiry); a stolen deprecated credential is therefore worth at most one rotation, and
   * the legitimate client learns of the theft when its own rotation is refused.
   */
  async rotate(presented: CredentialEntry, username: string, input: CredentialInput, meta: RequestMeta): Promise<ConsumerCredential> {
    const { consumer, credential: old } = presented;
    if (consumer.username !== username) throw fail(E.INVALID_CONSUMER_CREDENTIAL, { REASON: 'the token belongs to another consumer' });
    // A pool key is shared by every device it signed for: none of them may exchange it.
    if (old.kind === 'pool') throw fail(E.ROTATION_NOT_ALLOWED, { REASON: 'a key of a signing pool is retired, not rotated' });
    if (old.deprecatedAt === null) throw fail(E.ROTATION_NOT_ALLOWED, { REASON: 'the credential is active; only a deprecated credential can be rotated' });
    if (old.replacedBy !== null) throw fail(E.ROTATION_NOT_ALLOWED, { REASON: 'the credential was already rotated' });
    const now = nowSeconds(this.d.clock);
    const credential = newCredential(consumer, input, now);
    await this.checkRoom(consumer, now);
    await this.insert(
      () =>
        this.d.uow.transaction(async (r) => {
          if (!(await r.consumers.markReplaced(consumer.partnerId, old.key, credential.id))) {
            throw fail(E.ROTATION_NOT_ALLOWED, { REASON: 'the credential was already rotated' });
          }
          await r.consumers.insertCredential(credential);
        }),
      credential.key,
    );
    await this.d.credentials.changed([old.key, credential.key]);
    await this.d.audit.record({
      partnerId: consumer.partnerId,
      actor: `consumer:${consumer.username}`,
      action: 'consumer.credential.rotate',
      target: credential.id,
      outcome: 'success',
      clientIp: meta.clientIp,
      detail: { username, from: old.key, key: credential.key, algorithm: credential.algorithm },
    });
    return credential;
  }

  /**
   * Device-registration settings (issue 19): `registrationGroup` (a group name, or null to make it
   * an ordinary consumer again), `credentialLifetime` (seconds a device credential lives from its
   * registration; null = no expiry) and `registrationRateLimit` (registrations per minute per
   * caller; null = the default). Absent fields keep their value.
   */
  async configure(p: Principal, username: string, patch: { registrationGroup?: unknown; credentialLifetime?: unknown; registrationRateLimit?: unknown }, meta: RequestMeta): Promise<Consumer> {
    const consumer = await this.read(p, username);
    const problems: string[] = [];
    const { registrationGroup: g, credentialLifetime: life, registrationRateLimit: rate } = patch;
    if (g !== undefined && g !== null && groupsProblems([g]).length) problems.push('REGISTRATIONGROUP MUST BE A GROUP NAME OR NULL');
    if (life !== undefined && life !== null && !(Number.isSafeInteger(life) && (life as number) >= 60 && (life as number) <= MAX_EXPIRES_IN)) problems.push(`CREDENTIALLIFETIME MUST BE AN INTEGER NUMBER OF SECONDS FROM 60 TO ${MAX_EXPIRES_IN}, OR NULL`);
    if (rate !== undefined && rate !== null && !(Number.isSafeInteger(rate) && (rate as number) >= 1 && (rate as number) <= 1_000_000)) problems.push('REGISTRATIONRATELIMIT MUST BE AN INTEGER FROM 1 TO 1000000, OR NULL');
    if (problems.length) badRequest(problems);
    const settings = {
      registrationGroup: g === undefined ? (consumer.registrationGroup ?? null) : (g as string | null),
      credentialLifetime: life === undefined ? (consumer.credentialLifetime ?? null) : (life as number | null),
      registrationRateLimit: rate === undefined ? (consumer.registrationRateLimit ?? null) : (rate as number | null),
    };
    const updated = await this.d.consumers.setRegistration(p.partnerId, consumer.id, settings, nowSeconds(this.d.clock));
    if (!updated) throw fail(E.CONSUMER_GET_ERROR, { USERNAME: username });
    await this.audited(p, 'consumer.configure', consumer.id, meta, { username, ...settings });
    return updated;
  }

  private async checkRoom(consumer: Consumer, now: number): Promise<void> {
    // Device consumers hold one credential per device (any number, issue 19); reading them all
    // here would also cost a scan of every device on each registration.
    if (consumer.registrationGroup) return;
    const live = (await this.d.consumers.credentials(consumer.partnerId, consumer.id)).filter((c) => c.replacedBy === null && (c.expiresAt === null || c.expiresAt > now));
    if (live.length >= MAX_CREDENTIALS) throw fail(E.CREATE_CREDENTIAL_ERROR, { DETAIL: `THE CONSUMER ALREADY HAS ${MAX_CREDENTIALS} CREDENTIALS; DEPRECATE ONE WITH AN EXPIRY FIRST` });
  }

  private async insert(fn: () => Promise<unknown>, key: string): Promise<void> {
    try {
      await fn();
    } catch (e) {
      // adminutil's own wording for Kong's 409 on a taken key.
      if (e instanceof DuplicateKeyError && e.constraint === 'consumer_credentials.key') throw fail(E.CREATE_CREDENTIAL_ERROR, { DETAIL: `KEY : ${key}, already exists.` });
      throw e;
    }
  }

  private audited(p: Principal, action: string, target: string, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target, outcome: 'success', clientIp: meta.clientIp, detail });
  }
}
