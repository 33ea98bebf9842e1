/**
 * The cached Directory: partners (with derived KS keys), roles and users. Entries live at most
 * `ttlMs` (a safety net) and are dropped at once by `changed`, locally and, through the change
 * feed, on every other node within one poll interval.
 */
import { ksKeyFromSecret } from '../core/ks/index.js';
import type { Partner, Role, User } from '../services/model.js';
import { userKey, type ChangeFeed, type Directory, type DirectoryPeek, type PartnerEntry, type PartnerRepo, type RoleRepo, type UserRepo } from '../services/ports.js';
import { LoadingCache, type Epoch } from './lru.js';

export interface DirectoryDeps {
  partners: PartnerRepo;
  roles: RoleRepo;
  users: UserRepo;
  changes: ChangeFeed;
  nowSec: () => number;
}

export class CachedDirectory implements Directory, DirectoryPeek {
  private readonly partners: LoadingCache<number, PartnerEntry>;
  private readonly roles: LoadingCache<number, Role>;
  private readonly users: LoadingCache<string, User>;

  constructor(private readonly deps: DirectoryDeps, opts: { ttlMs?: number; maxEntries?: number; epoch?: Epoch } = {}) {
    const ttl = opts.ttlMs ?? 30_000;
    const max = opts.maxEntries ?? 10_000;
    this.partners = new LoadingCache(max, ttl, async (id) => {
      const p = await deps.partners.get(id);
      return p && entryOf(p);
    }, undefined, opts.epoch);
    this.roles = new LoadingCache(max, ttl, (id) => deps.roles.get(id), undefined, opts.epoch);
    this.users = new LoadingCache(max * 5, ttl, (key) => {
      const sep = key.indexOf(':');
      return deps.users.latestById(Number(key.slice(0, sep)), key.slice(sep + 1));
    }, undefined, opts.epoch);
  }

  partner(id: number): Promise<PartnerEntry | undefined> {
    return this.partners.get(id);
  }

  role(id: number): Promise<Role | undefined> {
    return this.roles.get(id);
  }

  user(partnerId: number, id: string): Promise<User | undefined> {
    return this.users.get(userKey(partnerId, id));
  }

  // Synchronous reads of what is cached (`null`: a cached miss, `undefined`: not cached), so an
  // authenticated call whose partner, user and roles are all cached needs no await for them.

  peekPartner(id: number): PartnerEntry | null | undefined {
    return this.partners.peek(id);
  }

  peekRole(id: number): Role | null | undefined {
    return this.roles.peek(id);
  }

  peekUser(partnerId: number, id: string): User | null | undefined {
    return this.users.peek(userKey(partnerId, id));
  }

  async changed(topic: 'partner' | 'role' | 'user', key: string): Promise<void> {
    this.drop(topic, key);
    await this.deps.changes.publish(topic, key, this.deps.nowSec());
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    if (topic === 'partner') this.partners.invalidate(Number(key));
    else if (topic === 'role') this.roles.invalidate(Number(key));
    else if (topic === 'user') this.users.invalidate(key);
    else if (topic === '*') this.clear();
  }

  clear(): void {
    this.partners.clear();
    this.roles.clear();
    this.users.clear();
  }
}

function entryOf(partner: Partner): PartnerEntry {
  return { partner, ksKeys: partner.adminSecrets.map((s) => ksKeyFromSecret(s)) };
}
