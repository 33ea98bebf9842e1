/**
 * Device self-registration (issue 19, the Sunbird mobile app's onboarding; protocol §1.2-1.3): a
 * consumer token may register credentials for a device consumer (`registrationGroup` set) when
 * its consumer holds that group; admins still may, for any consumer.
 * - v1 answers an HS256 `{key, secret}`. Registering a key the device consumer already holds (a
 *   device re-installing the app) rotates its secret: the old secret stops verifying at once, and
 *   every node drops the credential through the cache's one invalidation point. adminutil answered
 *   the existing secret again instead, so anyone with the app token could read any device's secret.
 * - v2 answers `{key, token}`: an RS256 token signed by one key of the target's pool, picked at
 *   random as adminutil's KeyManager does, header `kid` = that key's credential key, payload only
 *   `iss = <kid>-<deviceKey>-<epochMillis>`. Nothing is stored per device: the gateway finds the
 *   pool key by `kid` and grants the request as the pool's consumer.
 * Both are rate-limited per caller and target (registrationRateLimit a minute) and audited.
 */
import { createPrivateKey, randomInt } from 'node:crypto';
import { SignJWT } from 'jose';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { keyProblems } from '../../core/consumers/rules.js';
import { E, fail } from '../../core/errors/index.js';
import type { RegistrationLimiter } from '../../cache/registration-limiter.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import type { Consumer, ConsumerCredential } from '../model.js';
import { DuplicateKeyError, type ConsumerCredentialDirectory, type ConsumerRepo, type CredentialEntry } from '../ports.js';
import type { ConsumerService } from './consumer-service.js';
import { generateCredentialSecret, newCredential, type CredentialInput } from './new-credential.js';

/** Registrations per minute one caller may make for one device consumer, unless the consumer sets its own. */
export const DEFAULT_REGISTRATION_RATE_LIMIT = 60;

/** Who asks: an admin (access token or API key with CONSUMER_MANAGE) or a consumer by its token. */
export type RegistrationCaller = { kind: 'admin'; principal: Principal } | { kind: 'consumer'; entry: CredentialEntry };

export interface DeviceRegistrationDeps {
  consumers: ConsumerRepo;
  /** The admin path for consumers that are not device consumers (with its 20-credential cap). */
  service: ConsumerService;
  credentials: ConsumerCredentialDirectory;
  limiter: RegistrationLimiter;
  audit: Auditor;
  clock: Clock;
}

export class DeviceRegistration {
  constructor(private readonly d: DeviceRegistrationDeps) {}

  /** `/v1/consumer/{username}/credential/register`. */
  async registerV1(caller: RegistrationCaller, username: string, input: CredentialInput, meta: RequestMeta): Promise<ConsumerCredential> {
    if (caller.kind === 'admin') {
      const target = await this.d.service.read(caller.principal, username);
      if (!target.registrationGroup) return this.d.service.register(caller.principal, username, input, meta);
    }
    const target = await this.authorised(caller, username);
    this.limit(caller, target);
    const now = nowSeconds(this.d.clock);
    const expiresAt = target.credentialLifetime ? now + target.credentialLifetime : null;
    const problems = keyProblems(input.key);
    if (problems.length) throw fail(E.BAD_REQUEST, { DETAIL: problems.join(', ') });
    if (typeof input.key === 'string') {
      const rotated = await this.rotateIfHeld(caller, target, input, expiresAt, meta);
      if (rotated) return rotated;
    }
    const credential: ConsumerCredential = { ...newCredential(target, input, now), kind: 'device', expiresAt };
    try {
      await this.d.consumers.insertCredential(credential);
    } catch (e) {
      if (e instanceof DuplicateKeyError && e.constraint === 'consumer_credentials.key') throw taken(credential.key);
      throw e;
    }
    // A lookup of this key before it existed may have left a negative entry on some node.
    await this.d.credentials.changed([credential.key]);
    await this.audited(caller, target, 'consumer.credential.register', credential.id, meta, { username, key: credential.key, algorithm: credential.algorithm, rotated: false, expiresAt });
    return credential;
  }

  /** `/v2/consumer/{username}/credential/register`: `{key, token}`, the token signed by a pool key. */
  async registerV2(caller: RegistrationCaller, username: string, deviceKey: unknown, meta: RequestMeta): Promise<{ key: string; token: string }> {
    const target = await this.authorised(caller, username, true);
    const problems = deviceKey === undefined || deviceKey === null || deviceKey === '' ? ['KEY IS MANDATORY'] : keyProblems(deviceKey);
    if (problems.length) throw fail(E.BAD_REQUEST, { DETAIL: problems.join(', ') });
    this.limit(caller, target);
    const keys = await this.d.consumers.poolSigningKeys(target.partnerId, target.id, nowSeconds(this.d.clock));
    if (keys.length === 0) throw fail(E.CREATE_CREDENTIAL_ERROR, { DETAIL: `CONSUMER ${username} HAS NO SIGNING KEY IN ITS POOL` });
    const signer = keys[randomInt(keys.length)]!;
    const iss = `${signer.kid}-${deviceKey as string}-${this.d.clock.nowMs()}`;
    const token = await new SignJWT({ iss }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signer.kid }).sign(createPrivateKey(signer.privateKeyPem));
    await this.audited(caller, target, 'consumer.credential.register.v2', target.id, meta, { username, key: deviceKey, kid: signer.kid });
    return { key: deviceKey as string, token };
  }

  /**
   * The target, when the caller may register for it: an admin for any consumer of its partner (v1
   * routes non-device targets to the admin path before this), a consumer only for a device
   * consumer of its own partner whose registrationGroup it holds. The refusal is the same whether
   * the target is missing or merely closed to the caller, so a consumer token cannot probe names.
   */
  private async authorised(caller: RegistrationCaller, username: string, adminAnyTarget = false): Promise<Consumer> {
    if (caller.kind === 'admin') {
      const target = await this.d.service.read(caller.principal, username);
      if (!adminAnyTarget && !target.registrationGroup) throw fail(E.REGISTRATION_NOT_ALLOWED, { USERNAME: username });
      return target;
    }
    const own = caller.entry.consumer;
    const target = await this.d.consumers.byUsername(own.partnerId, username);
    if (!target || !target.registrationGroup || !own.groups.includes(target.registrationGroup)) throw fail(E.REGISTRATION_NOT_ALLOWED, { USERNAME: username });
    return target;
  }

  private limit(caller: RegistrationCaller, target: Consumer): void {
    const who = caller.kind === 'admin' ? `user:${caller.principal.partnerId}:${caller.principal.userId}` : `consumer:${caller.entry.consumer.id}`;
    const check = this.d.limiter.hit(`${target.id}|${who}`, target.registrationRateLimit ?? DEFAULT_REGISTRATION_RATE_LIMIT, this.d.clock.nowMs());
    if (!check.ok) throw fail(E.REGISTRATION_RATE_LIMITED, { RETRY_AFTER: check.retryAfterSec });
  }

  /** Re-registration of a key the device consumer holds: a new secret, or undefined when the key is new. */
  private async rotateIfHeld(caller: RegistrationCaller, target: Consumer, input: CredentialInput, expiresAt: number | null, meta: RequestMeta): Promise<ConsumerCredential | undefined> {
    const key = input.key as string;
    const held = await this.d.consumers.credentialByKey(key);
    if (!held) return undefined;
    // Only a self-registered HS256 credential of this very consumer rotates: never another
    // consumer's key, a pool key, or a credential an admin made or imported.
    const hs256 = input.algorithm === undefined || input.algorithm === null || input.algorithm === '' || input.algorithm === 'HS256';
    if (held.consumer.id !== target.id || held.credential.kind !== 'device' || held.credential.algorithm !== 'HS256' || !hs256 || input.publicKey) throw taken(key);
    const rotated = await this.d.consumers.rotateDeviceSecret(target, key, generateCredentialSecret(), expiresAt);
    if (!rotated) throw taken(key);
    // Every node forgets the entry (and with it every token verified under the old secret).
    await this.d.credentials.changed([key]);
    await this.audited(caller, target, 'consumer.credential.register', rotated.id, meta, { username: target.username, key, algorithm: 'HS256', rotated: true, expiresAt });
    return rotated;
  }

  private audited(caller: RegistrationCaller, target: Consumer, action: string, id: string, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    const actor = caller.kind === 'admin' ? caller.principal.userId : `consumer:${caller.entry.consumer.username}`;
    return this.d.audit.record({ partnerId: target.partnerId, actor, action, target: id, outcome: 'success', clientIp: meta.clientIp, detail });
  }
}

/** adminutil's own wording for Kong's 409 on a taken key. */
function taken(key: string) {
  return fail(E.CREATE_CREDENTIAL_ERROR, { DETAIL: `KEY : ${key}, already exists.` });
}
