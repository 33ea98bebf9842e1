/**
 * Compiled access-control profiles by id: each profile is compiled once when first used (or right
 * after it is saved) and evaluated many times. Bounded and typed like the Directory; `changed`
 * drops the local copy and publishes `accessControl:<id>` on the change feed, and CacheSync hands
 * every node's copy of the feed to `drop`, so each node recompiles within one poll interval.
 */
import { compileProfile, RuleCompileError, type CompiledProfile } from '../core/access/compile.js';
import type { ConditionSpec, GeoLookup, RuleSpec } from '../core/access/model.js';
import type { AccessControlProfileRecord } from '../services/model.js';
import type { AccessControlRepo, AccessProfiles, ChangeFeed, CompiledAccessProfile } from '../services/ports.js';
import { LoadingCache, type Epoch } from './lru.js';

/** The change-feed topic of this cache. */
export const ACCESS_CONTROL_TOPIC = 'accessControl';

export interface AccessProfileCacheDeps {
  profiles: AccessControlRepo;
  changes: ChangeFeed;
  geo: GeoLookup;
  nowSec: () => number;
  /** A stored profile that no longer compiles (e.g. rules saved by an older engine). */
  onLoadError: (e: unknown, profileId: number) => void;
}

export class CompiledProfileCache implements AccessProfiles {
  private readonly cache: LoadingCache<number, CompiledAccessProfile>;

  constructor(private readonly deps: AccessProfileCacheDeps, opts: { ttlMs?: number; maxEntries?: number; epoch?: Epoch } = {}) {
    this.cache = new LoadingCache(opts.maxEntries ?? 10_000, opts.ttlMs ?? 30_000, async (id) => {
      const profile = await deps.profiles.get(id);
      return profile && this.build(profile);
    }, undefined, opts.epoch);
  }

  compile(rules: readonly RuleSpec[]): CompiledProfile {
    return compileProfile(rules, { geo: this.deps.geo });
  }

  get(id: number): Promise<CompiledAccessProfile | undefined> {
    return this.cache.get(id);
  }

  /** The cached entry without loading (undefined when absent, null for a cached miss). */
  peek(id: number): CompiledAccessProfile | null | undefined {
    return this.cache.peek(id);
  }

  async changed(id: number): Promise<void> {
    this.cache.invalidate(id);
    await this.deps.changes.publish(ACCESS_CONTROL_TOPIC, String(id), this.deps.nowSec());
    // Fill on save: the next decision on this node finds the new rules already compiled.
    await this.cache.get(id);
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    if (topic === ACCESS_CONTROL_TOPIC) this.cache.invalidate(Number(key));
    else if (topic === '*') this.cache.clear();
  }

  private build(profile: AccessControlProfileRecord): CompiledAccessProfile {
    let compiled: CompiledProfile;
    try {
      compiled = this.compile(profile.rules);
    } catch (e) {
      this.deps.onLoadError(e, profile.id);
      compiled = failClosed(profile.rules.length, e);
    }
    return { profile, compiled, usesMetadata: profile.rules.some((r) => r.conditions.some(readsMetadata)), clientOnly: profile.rules.every((r) => r.conditions.every(readsClientOnly)) };
  }
}

/** Conditions decided by the client, the session and the entry alone (CompiledAccessProfile.clientOnly). */
function readsClientOnly(c: ConditionSpec): boolean {
  switch (c.type) {
    case 'authenticated':
    case 'country':
    case 'site':
    case 'userAgent':
    case 'userRole':
    case 'sessionType':
      return true;
    case 'ipAddress':
      return c.httpHeader === null || c.httpHeader === '';
    case 'or':
      return c.conditions.every(readsClientOnly);
    default:
      return false;
  }
}

function readsMetadata(c: ConditionSpec): boolean {
  if (c.type === 'metadataMatch' || c.type === 'metadataCompare') return true;
  return c.type === 'or' && c.conditions.some(readsMetadata);
}

/**
 * A stored profile that cannot be compiled any more denies everything rather than allowing
 * everything: its rules were meant to restrict, and skipping them would silently open content.
 */
function failClosed(ruleCount: number, e: unknown): CompiledProfile {
  const reason = e instanceof RuleCompileError ? `${e.path}: ${e.reason}` : 'profile could not be compiled';
  return {
    ruleCount,
    evaluate: () => ({ fulfilled: [], messages: [`Access control profile is invalid (${reason})`], actions: [{ type: 'block' }], codes: {} }),
  };
}
