/**
 * The partner's protected upstream services (seed 002 and 004): a route prefix, the ACL groups
 * allowed to call it (consumers) and the permissions an API key needs. The gateway matches the
 * longest prefix, so prefixes (and names) are unique per partner. Every write publishes
 * `apiService:<partnerId>` on the change feed for the gateway's route-table cache.
 */
import { randomUUID } from 'node:crypto';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { expandPermissionRefs } from '../../core/permissions/catalogue.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import type { ApiService, ListResult, Page } from '../model.js';
import { DuplicateKeyError, type ApiServiceRepo, type ChangeFeed } from '../ports.js';

export const API_SERVICE_TOPIC = 'apiService';

export interface ApiServiceInput {
  name?: string | undefined;
  routePrefix?: string | undefined;
  allowedGroups?: readonly string[] | undefined;
  requiredPermissions?: readonly string[] | undefined;
}

export interface ApiServiceManagerDeps {
  services: ApiServiceRepo;
  changes: ChangeFeed;
  audit: Auditor;
  clock: Clock;
}

/** A path prefix: starts with '/', no query, fragment, whitespace or dot segments (non-ASCII is encoded on save). */
const ROUTE_PREFIX = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/\u0080-\uffff]*$/;

export class ApiServiceManager {
  constructor(private readonly d: ApiServiceManagerDeps) {}

  async create(p: Principal, input: ApiServiceInput, meta: RequestMeta): Promise<ApiService> {
    const now = nowSeconds(this.d.clock);
    const service: ApiService = {
      id: randomUUID(),
      partnerId: p.partnerId,
      name: checkName(input.name ?? ''),
      routePrefix: checkPrefix(input.routePrefix ?? ''),
      allowedGroups: groups(input.allowedGroups ?? []),
      requiredPermissions: permissions(input.requiredPermissions ?? []),
      createdAt: now,
      updatedAt: now,
    };
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
    await this.d.changes.publish(API_SERVICE_TOPIC, String(p.partnerId), now);
    await this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: id, outcome: 'success', clientIp: meta.clientIp, ...(detail ? { detail } : {}) });
  }
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
