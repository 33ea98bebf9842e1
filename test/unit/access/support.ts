/** Builders shared by the rule-engine tests: scopes, sessions, entries, a fake geo database. */
import { fieldsForRules } from '../../../src/services/metadata/xml.js';
import { compileProfile, type CompiledProfile } from '../../../src/core/access/compile.js';
import type { AccessScope, ConditionSpec, GeoLookup, RuleSpec, ScopeEntry, ScopeSession } from '../../../src/core/access/model.js';

export const NOW = 1_700_000_000;

/** A fixed IP → country table (documentation ranges stand in for real countries). */
export const COUNTRIES: Readonly<Record<string, string>> = {
  '203.0.113.10': 'US',
  '203.0.113.20': 'CA',
  '198.51.100.10': 'FR',
  '192.0.2.10': 'DE',
  '2001:db8::10': 'GB',
};

/** Counts lookups, so tests can prove one lookup per evaluation at most. */
export function fakeGeo(): GeoLookup & { calls: number } {
  const g = {
    calls: 0,
    country(ip: string) {
      g.calls++;
      return COUNTRIES[ip];
    },
  };
  return g;
}

export const geo = fakeGeo();

export function session(over: Partial<ScopeSession> = {}): ScopeSession {
  return { raw: 'djJ8MTAwfGtzLXN0cmluZw', type: 0, userId: 'viewer@example.com', privileges: '', roleIds: [], email: 'viewer@example.com', ...over };
}

export const adminSession = (over: Partial<ScopeSession> = {}) => session({ type: 2, userId: 'admin', ...over });

type Metadata = Record<string, Record<string, string[]>>;

/** An entry; metadata is keyed by profile id (as a string) or system name. */
export function entry(over: { id?: string; startDate?: number | null; endDate?: number | null; metadata?: Metadata } = {}): ScopeEntry {
  const md = over.metadata ?? {};
  return {
    id: over.id ?? '0_abc123',
    startDate: over.startDate ?? null,
    endDate: over.endDate ?? null,
    metadata(profileId, systemName) {
      const hit = (profileId !== null ? md[String(profileId)] : undefined) ?? (systemName !== null ? md[systemName] : undefined);
      // Read as the service reads stored fields: records without the `/name` keys count every leaf as direct.
      return hit ? fieldsForRules(hit) : undefined;
    },
  };
}

/** Scope fields to override; `headers` builds the `header()` lookup (or pass `header` itself). */
export interface ScopeInput extends Partial<AccessScope> {
  headers?: Record<string, string>;
}

export function scope(over: ScopeInput = {}): AccessScope {
  const { headers = {}, ...rest } = over;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    ip: '203.0.113.10',
    referrer: 'https://www.publisher.com/watch/1',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    time: NOW,
    contexts: [],
    session: null,
    entry: entry(),
    hashes: {},
    header: (name) => lower[name],
    actionName: '',
    ...rest,
  };
}

export function rule(over: Partial<RuleSpec> = {}): RuleSpec {
  return { actions: [{ type: 'block' }], conditions: [], contexts: [], stopProcessing: false, forceAdminValidation: false, ...over };
}

export function profile(rules: RuleSpec[], g: GeoLookup = geo): CompiledProfile {
  return compileProfile(rules, { geo: g });
}

/**
 * Whether a one-rule profile with this single condition fires for the scope. The rule forces
 * admin validation, so the condition itself is evaluated for ADMIN sessions too.
 */
export function fires(condition: ConditionSpec, s: AccessScope = scope(), now = NOW): boolean {
  return profile([rule({ conditions: [condition], forceAdminValidation: true })]).evaluate(s, { now }).fulfilled.length === 1;
}
