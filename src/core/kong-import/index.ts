/**
 * Import files (Kong's declarative configuration, Sunbird's Ansible lists; JSON or YAML) → one
 * plan. Several files merge: a consumer named twice gets the union of its groups and credentials;
 * a path prefix named twice is one service when the rules agree (their methods joined), else the
 * later is skipped; names are made unique. Pure: no I/O, no clock.
 */
import { planFromDeck } from './deck.js';
import { emptyPlan, type ImportPlan, type PlannedConsumer, type PlannedService } from './plan.js';
import { ImportInputError, readDocument } from './read.js';
import { isSunbird, planFromSunbird } from './sunbird.js';

export { ImportInputError, MAX_IMPORT_BYTES } from './read.js';
export type * from './plan.js';

/** Most services and consumers one import may hold (Sunbird's full configuration: about 470 and a dozen). */
export const MAX_PLANNED = 10_000;

export interface ImportFile {
  name: string;
  text: string;
}

export function planImport(files: readonly ImportFile[]): ImportPlan {
  const plan = emptyPlan();
  for (const f of files) {
    const doc = readDocument(f.text, f.name) as Record<string, unknown>;
    if ('_format_version' in doc) planFromDeck(doc, f.name, plan);
    else if (isSunbird(doc)) planFromSunbird(doc, f.name, plan);
    else if ('services' in doc || 'consumers' in doc || 'routes' in doc) throw new ImportInputError(`${f.name}: Kong's declarative configuration needs _format_version (1.1 or later)`);
    else throw new ImportInputError(`${f.name}: neither Kong's declarative configuration (_format_version, services, consumers) nor Sunbird's lists (kong_apis, kong_consumers)`);
    if (plan.services.length > MAX_PLANNED || plan.consumers.length > MAX_PLANNED) throw new ImportInputError(`${f.name}: more than ${MAX_PLANNED} services or consumers in one import`);
  }
  return { services: mergeServices(plan), consumers: mergeConsumers(plan.consumers), skipped: plan.skipped };
}

const sameRule = (a: PlannedService, b: PlannedService): boolean =>
  a.access === b.access && JSON.stringify([a.allowedGroups, a.deniedGroups, a.rateLimits]) === JSON.stringify([b.allowedGroups, b.deniedGroups, b.rateLimits]);

function mergeServices(plan: ImportPlan): PlannedService[] {
  const byPrefix = new Map<string, PlannedService>();
  for (const s of plan.services) {
    const seen = byPrefix.get(s.routePrefix);
    if (!seen) {
      byPrefix.set(s.routePrefix, { ...s });
      continue;
    }
    if (!sameRule(seen, s)) {
      plan.skipped.push({ kind: 'route', name: s.name, reason: `path ${s.routePrefix} is also ${seen.name}'s with other rules; Gatehouse holds one service per path prefix`, source: s.source });
      continue;
    }
    seen.methods = seen.methods.length === 0 || s.methods.length === 0 ? [] : [...new Set([...seen.methods, ...s.methods])].sort();
  }
  const names = new Set<string>();
  const out: PlannedService[] = [];
  for (const s of byPrefix.values()) {
    const name = names.has(s.name) ? `${s.name} ${s.routePrefix}` : s.name;
    names.add(name);
    out.push({ ...s, name });
  }
  return out;
}

function mergeConsumers(list: readonly PlannedConsumer[]): PlannedConsumer[] {
  const byName = new Map<string, PlannedConsumer>();
  for (const c of list) {
    const seen = byName.get(c.username);
    if (!seen) {
      byName.set(c.username, { ...c, groups: [...c.groups], credentials: [...c.credentials] });
      continue;
    }
    seen.groups = [...new Set([...seen.groups, ...c.groups])];
    for (const cred of c.credentials) if (!seen.credentials.some((x) => x.key === cred.key)) seen.credentials.push(cred);
  }
  return [...byName.values()];
}
