/**
 * Kong's declarative configuration (decK / `kong.yml`, `_format_version` 1.1 and later) → plan
 * entries: each route's paths as services with the plugins in effect for it (route over service
 * over global, one per plugin name, as Kong picks them), consumers with their ACL groups and JWT
 * credentials, including decK's top-level `routes`, `plugins`, `acls` and `jwt_secrets` that name
 * their service, route or consumer.
 */
import { consumerOf } from './consumers.js';
import type { ImportPlan } from './plan.js';
import { ImportInputError, isObj, refOf, templateIn, type Obj } from './read.js';
import { servicesOfRoute } from './routes.js';

/** Top-level keys that are metadata of the file itself. */
const META = new Set(['_format_version', '_transform', '_info', '_workspace', '_konnect', '_comment']);
const HANDLED = new Set(['services', 'routes', 'plugins', 'consumers', 'acls', 'jwt_secrets']);
/** Route fields that restrict matching beyond paths and methods. */
const CONDITIONS = ['hosts', 'headers', 'snis', 'sources', 'destinations', 'expression'];

function listOf(doc: Obj, key: string, file: string): Obj[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ImportInputError(`${file}: ${key} must be a list`);
  return v.map((x, i) => {
    if (!isObj(x)) throw new ImportInputError(`${file}: ${key}[${i}] must be a mapping`);
    return x;
  });
}

export function checkFormatVersion(doc: Obj, file: string): void {
  const v = String(doc._format_version ?? '');
  const m = /^(\d+)\.(\d+)$/.exec(v);
  if (!m || Number(m[1]) * 1000 + Number(m[2]) < 1001) throw new ImportInputError(`${file}: _format_version ${JSON.stringify(doc._format_version)} is not a Kong declarative format (1.1 or later)`);
}

export function planFromDeck(doc: Obj, file: string, plan: ImportPlan): void {
  checkFormatVersion(doc, file);
  const skipped = plan.skipped;
  for (const k of Object.keys(doc)) {
    if (!META.has(k) && !HANDLED.has(k)) skipped.push({ kind: 'document', name: k, reason: 'not an access rule or credential Gatehouse holds (the proxy keeps upstreams, certificates and the like)', source: file });
  }
  const services = listOf(doc, 'services', file);
  const topRoutes = listOf(doc, 'routes', file);
  const topPlugins = listOf(doc, 'plugins', file).filter((p) => p.enabled !== false);

  const global: Obj[] = [];
  const byService = new Map<string, Obj[]>();
  const byRoute = new Map<string, Obj[]>();
  const push = (m: Map<string, Obj[]>, k: string, p: Obj) => m.set(k, [...(m.get(k) ?? []), p]);
  for (const p of topPlugins) {
    if (p.consumer !== undefined && p.consumer !== null) skipped.push({ kind: 'plugin', name: `${String(p.name)} (consumer ${refOf(p.consumer) ?? '?'})`, reason: 'consumer-scoped plugins are not represented', source: file });
    else if (refOf(p.route)) push(byRoute, refOf(p.route) as string, p);
    else if (refOf(p.service)) push(byService, refOf(p.service) as string, p);
    else global.push(p);
  }

  const routeEntries: Array<{ route: Obj; service: Obj | undefined; label: string }> = [];
  services.forEach((s, i) => {
    const sName = String(s.name ?? s.id ?? `service-${i + 1}`);
    for (const p of nested(s.plugins, file)) {
      if (p.consumer !== undefined && p.consumer !== null) skipped.push({ kind: 'plugin', name: `${String(p.name)} (consumer ${refOf(p.consumer) ?? '?'})`, reason: 'consumer-scoped plugins are not represented', source: `${file}: service ${sName}` });
    }
    if (s.routes !== undefined && !Array.isArray(s.routes)) throw new ImportInputError(`${file}: services[${i}].routes must be a list`);
    for (const [j, r] of ((s.routes as unknown[] | undefined) ?? []).entries()) {
      if (!isObj(r)) throw new ImportInputError(`${file}: services[${i}].routes[${j}] must be a mapping`);
      routeEntries.push({ route: r, service: s, label: String(r.name ?? r.id ?? `${sName}-route-${j + 1}`) });
    }
  });
  topRoutes.forEach((r, j) => {
    const ref = refOf(r.service);
    const service = ref === undefined ? undefined : services.find((s) => s.name === ref || s.id === ref);
    routeEntries.push({ route: r, service, label: String(r.name ?? r.id ?? `route-${j + 1}`) });
  });

  for (const { route, service, label } of routeEntries) {
    const source = `${file}: route ${label}`;
    const effective = new Map<string, Obj>();
    const serviceKeys = service ? [service.name, service.id].filter((x): x is string => typeof x === 'string') : [];
    const routeKeys = [route.name, route.id].filter((x): x is string => typeof x === 'string');
    const levels: Obj[][] = [
      global,
      ...(service ? [nested(service.plugins, file)] : []),
      ...serviceKeys.map((k) => byService.get(k) ?? []),
      nested(route.plugins, file),
      ...routeKeys.map((k) => byRoute.get(k) ?? []),
    ];
    for (const level of levels) {
      for (const p of level) {
        if (p.enabled === false) continue;
        if (p.consumer !== undefined && p.consumer !== null) continue; // reported above (top level) or below (nested)
        effective.set(String(p.name), p);
      }
    }
    for (const p of nested(route.plugins, file)) {
      if (p.consumer !== undefined && p.consumer !== null) skipped.push({ kind: 'plugin', name: `${String(p.name)} (consumer ${refOf(p.consumer) ?? '?'})`, reason: 'consumer-scoped plugins are not represented', source });
    }
    const plugins = [...effective.values()];
    const template = templateIn({ route, plugins });
    if (template) {
      skipped.push({ kind: 'route', name: label, reason: `unrendered template in ${template}`, source });
      continue;
    }
    const conditions: Obj = {};
    for (const c of CONDITIONS) conditions[c] = route[c];
    const protocols = route.protocols;
    if (Array.isArray(protocols) && !protocols.some((p) => p === 'http' || p === 'https')) conditions.protocols = protocols;
    plan.services.push(...servicesOfRoute({ name: label, paths: route.paths, methods: route.methods, conditions, plugins, source }, skipped));
  }

  // Consumers, with decK's top-level acls and jwt_secrets that name their consumer.
  const consumers = listOf(doc, 'consumers', file).map((c) => ({ ...c }));
  const find = (ref: string | undefined) => consumers.find((c) => c.username === ref || c.id === ref || c.custom_id === ref);
  for (const key of ['acls', 'jwt_secrets'] as const) {
    for (const row of listOf(doc, key, file)) {
      const c = find(refOf(row.consumer));
      if (!c) {
        skipped.push({ kind: key === 'acls' ? 'field' : 'credential', name: `${key} ${String(row.group ?? row.key ?? '?')}`, reason: `names no consumer of this file (${JSON.stringify(refOf(row.consumer) ?? null)})`, source: file });
        continue;
      }
      c[key] = [...(Array.isArray(c[key]) ? (c[key] as unknown[]) : []), row];
    }
  }
  for (const c of consumers) {
    const planned = consumerOf(c, `${file}: consumer ${String(c.username ?? '?')}`, skipped);
    if (planned) plan.consumers.push(planned);
  }
}

function nested(v: unknown, file: string): Obj[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isObj)) throw new ImportInputError(`${file}: plugins must be a list of mappings`);
  return v;
}
