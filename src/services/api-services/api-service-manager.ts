/**
 * The partner's protected upstream services (seed 002 and 004): a route prefix, the ACL groups
 * allowed to call it (consumers) and the permissions an API key needs. The gateway matches the
 * longest prefix, so prefixes (and names) are unique per partner. Every write ends at the route
 * tables' one invalidation point (RouteChanges): this node's gateway applies it before the write is
 * answered, the other nodes through the change feed.
 */
import { randomUUID } from 'node:crypto';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { expandPermissionRefs } from '../../core/permissions/catalogue.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import { SERVICE_ACCESS, type ApiService, type ListResult, type Page, type ServiceAccess, type ServiceRateLimits } from '../model.js';
import { DuplicateKeyError, type ApiServiceRepo, type RouteChanges } from '../ports.js';

export const API_SERVICE_TOPIC = 'apiService';

export interface ApiServiceInput {
  name?: string | undefined;
  routePrefix?: string | undefined;
  allowedGroups?: readonly string[] | undefined;
  requiredPermissions?: readonly string[] | undefined;
  access?: ServiceAccess | undefined;
  deniedGroups?: readonly string[] | undefined;
  methods?: readonly string[] | undefined;
  rateLimits?: ServiceRateLimits | null | undefined;
}

/** The fields of a service as stored, checked and in canonical form. */
export type ServiceFields = Pick<ApiService, 'name' | 'routePrefix' | 'allowedGroups' | 'requiredPermissions' | 'access' | 'deniedGroups' | 'methods' | 'rateLimits'>;

export interface ApiServiceManagerDeps {
  services: ApiServiceRepo;
  routes: RouteChanges;
  audit: Auditor;
  clock: Clock;
}

/** A path prefix: starts with '/', no query, fragment, whitespace or dot segments (non-ASCII is encoded on save). */
const ROUTE_PREFIX = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/\u0080-\uffff]*$/;

export class ApiServiceManager {
  constructor(private readonly d: ApiServiceManagerDeps) {}

  async create(p: Principal, input: ApiServiceInput, meta: RequestMeta): Promise<ApiService> {
    const now = nowSeconds(this.d.clock);
    const service: ApiService = { id: randomUUID(), partnerId: p.partnerId, ...serviceFields(input), createdAt: now, updatedAt: now };
    await this.write(() => this.d.services.insert(service), service);
    await this.published(p, 'apiService.add', service.id, meta, now);
    return service;
  }

  async get(p: Principal, id: string): Promise<ApiService> {
    const s = await this.d.services.get(p.partnerId, id.toLowerCase());
    if (!s) throw fail(E.API_SERVICE_NOT_FOUND, { ID: id });
    return s;
  }

  list(p: Principal, page: Page): Promise<ListResult<ApiService>> {
    return this.d.services.list(p.partnerId, page);
  }

  async update(p: Principal, id: string, input: ApiServiceInput, meta: RequestMeta): Promise<ApiService> {
    const current = await this.get(p, id);
    const now = nowSeconds(this.d.clock);
    const patch = {
      ...(input.name !== undefined ? { name: checkName(input.name) } : {}),
      ...(input.routePrefix !== undefined ? { routePrefix: checkPrefix(input.routePrefix) } : {}),
      ...(input.allowedGroups !== undefined ? { allowedGroups: groups(input.allowedGroups) } : {}),
      ...(input.requiredPermissions !== undefined ? { requiredPermissions: permissions(input.requiredPermissions) } : {}),
      ...(input.access !== undefined ? { access: checkAccess(input.access) } : {}),
      ...(input.deniedGroups !== undefined ? { deniedGroups: groups(input.deniedGroups) } : {}),
      ...(input.methods !== undefined ? { methods: checkMethods(input.methods) } : {}),
      ...(input.rateLimits !== undefined ? { rateLimits: checkRateLimits(input.rateLimits) } : {}),
    };
    const updated = await this.write(() => this.d.services.update(p.partnerId, current.id, { ...patch, updatedAt: now }), { ...current, ...patch });
    if (!updated) throw fail(E.API_SERVICE_NOT_FOUND, { ID: id });
    await this.published(p, 'apiService.update', current.id, meta, now, { fields: Object.keys(patch) });
    return updated;
  }

  async delete(p: Principal, id: string, meta: RequestMeta): Promise<void> {
    const current = await this.get(p, id);
    if (!(await this.d.services.delete(p.partnerId, current.id))) throw fail(E.API_SERVICE_NOT_FOUND, { ID: id });
    await this.published(p, 'apiService.delete', current.id, meta, nowSeconds(this.d.clock));
  }

  private async write<T>(fn: () => Promise<T>, s: Pick<ApiService, 'name' | 'routePrefix'>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DuplicateKeyError) {
        const prefix = e.constraint.endsWith('route_prefix');
        throw fail(E.API_SERVICE_ALREADY_EXISTS, { FIELD: prefix ? 'routePrefix' : 'name', VALUE: prefix ? s.routePrefix : s.name });
      }
      throw e;
    }
  }

  private async published(p: Principal, action: string, id: string, meta: RequestMeta, now: number, detail?: Record<string, unknown>): Promise<void> {
    await this.d.routes.changed(p.partnerId);
    await this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: id, outcome: 'success', clientIp: meta.clientIp, ...(detail ? { detail } : {}) });
  }
}

/** A new service's fields from the request's (validated here; absent ones take their defaults). */
export function serviceFields(input: ApiServiceInput): ServiceFields {
  return {
    name: checkName(input.name ?? ''),
    routePrefix: checkPrefix(input.routePrefix ?? ''),
    allowedGroups: groups(input.allowedGroups ?? []),
    requiredPermissions: permissions(input.requiredPermissions ?? []),
    access: checkAccess(input.access ?? 'groups'),
    deniedGroups: groups(input.deniedGroups ?? []),
    methods: checkMethods(input.methods ?? []),
    rateLimits: checkRateLimits(input.rateLimits ?? null),
  };
}

function checkAccess(access: string): ServiceAccess {
  if (!(SERVICE_ACCESS as readonly string[]).includes(access)) throw fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'access', FORMAT: SERVICE_ACCESS.join(' | ') });
  return access as ServiceAccess;
}

const METHOD = /^[A-Z]{1,16}$/;

/** Upper-case method names, deduplicated and sorted (so equal sets compare equal); [] = every method. */
function checkMethods(methods: readonly string[]): string[] {
  const out = [...new Set(methods.map((m) => m.trim().toUpperCase()))].sort();
  if (out.some((m) => !METHOD.test(m))) throw fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'methods', FORMAT: 'HTTP method names such as GET, POST' });
  return out;
}

const WINDOWS = ['second', 'minute', 'hour', 'day'] as const;
const LIMIT_BY = ['consumer', 'credential', 'ip'];

/** At least one window of a positive whole number of requests, and what it counts by; null = none. */
function checkRateLimits(r: ServiceRateLimits | null): ServiceRateLimits | null {
  if (r === null) return null;
  const bad = () => fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'rateLimits', FORMAT: '{second?, minute?, hour?, day?: positive integers (at least one), limitBy: consumer | credential | ip}' });
  if (typeof r !== 'object' || !LIMIT_BY.includes(r.limitBy)) throw bad();
  const out: ServiceRateLimits = { limitBy: r.limitBy };
  for (const w of WINDOWS) {
    const v = r[w];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v <= 0) throw bad();
    out[w] = v;
  }
  if (!WINDOWS.some((w) => out[w] !== undefined)) throw bad();
  return out;
}

function checkName(name: string): string {
  const n = name.trim();
  if (!n) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'name' });
  return n;
}

const PREFIX_FORMAT = "a path starting with '/' (no query, fragment, spaces, '//', dot segments or encoded '/')";
/** Characters a stored prefix keeps as they are; every other one is percent-encoded. */
const KEPT = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/**
 * The prefix in one canonical spelling: percent-decoded (request paths are compared decoded, see
 * core/gateway/target.ts), then encoded again where needed with upper-case hex. So `/admin` and
 * `/%61dmin` are the same prefix, and uniqueness is checked on what the gateway actually matches.
 * An encoded '/' is refused: the gateway refuses request paths that contain one.
 */
function checkPrefix(prefix: string): string {
  const bad = () => fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'routePrefix', FORMAT: PREFIX_FORMAT });
  if (!ROUTE_PREFIX.test(prefix) || /%2f/i.test(prefix)) throw bad();
  let decoded: string;
  try {
    decoded = decodeURIComponent(prefix);
  } catch {
    throw bad();
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\x00-\x1f\x7f?#]/.test(decoded) || decoded.includes('//') || decoded.split('/').some((s) => s === '.' || s === '..')) throw bad();
  let canonical = '';
  try {
    for (const ch of decoded) canonical += KEPT.test(ch) ? ch : encodeURIComponent(ch);
  } catch {
    throw bad(); // a lone surrogate has no UTF-8 form
  }
  return canonical;
}

function groups(list: readonly string[]): string[] {
  return [...new Set(list.map((g) => g.trim()).filter(Boolean))];
}

/** Our names or Kala UUIDs, stored as our names. */
function permissions(refs: readonly string[]): string[] {
  const { names, unknown } = expandPermissionRefs(refs);
  if (unknown.length) throw fail(E.PERMISSION_NOT_FOUND, { ERR_TEXT: `Unknown permissions: ${unknown.join(', ')}` });
  return names;
}
