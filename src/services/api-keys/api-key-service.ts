/**
 * Creating, listing and revoking REST API keys (seed 004). A key is shown once, at creation; only
 * its HMAC is stored. Keys belong to the partner and record their creator. Defaults are Kala's,
 * asymmetric on purpose: no permissions unless asked for, every service unless limited.
 */
import { randomUUID } from 'node:crypto';
import { apiKeyStart, generateApiKey } from '../../core/api-keys/format.js';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { expandPermissionRefs } from '../../core/permissions/catalogue.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import { assertHolds } from '../grants.js';
import type { ApiKey, ListResult, Page } from '../model.js';
import { DuplicateKeyError, type ApiKeyDirectory, type ApiKeyRepo, type ApiServiceRepo, type Directory } from '../ports.js';
import type { ApiKeyVerifier } from './verify-api-key.js';

export interface ApiKeyInput {
  /** Unix seconds; default now. */
  validFrom?: number | undefined;
  validTo: number;
  /** Our permission names or Kala permission UUIDs; default none. */
  permissions?: readonly string[] | undefined;
  /** Service ids; default (or empty) = all services. */
  services?: readonly string[] | undefined;
}

export interface ApiKeyServiceDeps {
  keys: ApiKeyRepo;
  cache: ApiKeyDirectory;
  services: ApiServiceRepo;
  verifier: ApiKeyVerifier;
  directory: Directory;
  audit: Auditor;
  clock: Clock;
  /** Installation-wide cap on `validTo - validFrom`, seconds. */
  maxValidity: number;
}

export class ApiKeyService {
  constructor(private readonly d: ApiKeyServiceDeps) {}

  /** Returns the key itself (to show once) and its stored record. */
  async create(p: Principal, input: ApiKeyInput, meta: RequestMeta): Promise<{ key: string; record: ApiKey }> {
    const now = nowSeconds(this.d.clock);
    const validFrom = input.validFrom ?? now;
    const validTo = input.validTo;
    const max = await this.maxValidity(p.partnerId);
    if (validTo <= validFrom) throw fail(E.API_KEY_VALIDITY_INVALID, { REASON: 'validTo must be after validFrom' });
    if (validTo <= now) throw fail(E.API_KEY_VALIDITY_INVALID, { REASON: 'validTo is in the past' });
    if (validTo - validFrom > max) throw fail(E.API_KEY_VALIDITY_INVALID, { REASON: `validTo may be at most ${max} seconds after validFrom` });
    // Counted from now too: a key dated far ahead would otherwise wait, valid, beyond any review.
    if (validTo - now > max) throw fail(E.API_KEY_VALIDITY_INVALID, { REASON: `validTo may be at most ${max} seconds from now` });

    const { names, unknown } = expandPermissionRefs(input.permissions ?? []);
    if (unknown.length) throw fail(E.PERMISSION_NOT_FOUND, { ERR_TEXT: `Unknown permissions: ${unknown.join(', ')}` });
    // A key can never do more than its creator: every permission granted must be held (grants.ts).
    assertHolds(p, new Set(names));

    const services = [...new Set((input.services ?? []).map((s) => s.toLowerCase()))];
    const found = new Set(await this.d.services.existing(p.partnerId, services));
    const missing = services.filter((s) => !found.has(s));
    if (missing.length) throw fail(E.UNKNOWN_API_SERVICES, { IDS: missing.join(', ') });

    for (let attempt = 0; ; attempt++) {
      const key = generateApiKey();
      const record: ApiKey = {
        id: randomUUID(),
        partnerId: p.partnerId,
        hash: this.d.verifier.hash(key),
        start: apiKeyStart(key),
        validFrom,
        validTo,
        permissions: names,
        services,
        createdBy: p.userId,
        createdAt: now,
        revokedAt: null,
      };
      try {
        await this.d.keys.insert(record);
      } catch (e) {
        // 256 random bits do not collide; retry once anyway rather than fail on the impossible.
        if (e instanceof DuplicateKeyError && attempt < 2) continue;
        throw e;
      }
      await this.d.audit.record({
        partnerId: p.partnerId,
        actor: p.userId,
        action: 'apiKey.create',
        target: record.id,
        outcome: 'success',
        clientIp: meta.clientIp,
        detail: { start: record.start, validFrom, validTo, permissions: names, services },
      });
      return { key, record };
    }
  }

  list(p: Principal, page: Page): Promise<ListResult<ApiKey>> {
    return this.d.keys.list(p.partnerId, page);
  }

  /** Revokes a key of the caller's partner; every node stops accepting it within one poll interval. */
  async revoke(p: Principal, id: string, meta: RequestMeta): Promise<void> {
    const key = await this.d.keys.revoke(p.partnerId, id.toLowerCase(), nowSeconds(this.d.clock));
    if (!key) throw fail(E.API_KEY_NOT_FOUND, { ID: id });
    await this.d.cache.changed(key.hash);
    await this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action: 'apiKey.revoke', target: key.id, outcome: 'success', clientIp: meta.clientIp, detail: { start: key.start } });
  }

  /** The installation's cap, shortened by the partner's `apiKeyMaxValidity` setting when set. */
  private async maxValidity(partnerId: number): Promise<number> {
    const setting = Number((await this.d.directory.partner(partnerId))?.partner.settings.apiKeyMaxValidity ?? 0);
    return Number.isSafeInteger(setting) && setting > 0 ? Math.min(setting, this.d.maxValidity) : this.d.maxValidity;
  }
}
