/**
 * One Kong route (or Sunbird API) → Gatehouse services: its effective plugins read as an access
 * rule (`jwt` / other auth plugins / `acl` / `rate-limiting`), its paths as route prefixes, its
 * methods kept. Shared by the decK and Sunbird parsers; what does not fit is a SkippedItem.
 *
 * Kong's rules followed: a route with no authentication plugin and no `acl` is open to everyone
 * (public); `jwt` without `acl` admits every consumer (authenticated); `acl` admits a consumer
 * holding one `allow` group and refuses one holding a `deny` group; `acl` without an authentication
 * plugin refuses everyone (no consumer is identified), so such a route is not imported.
 */
import type { PlannedAccess, PlannedRateLimits, PlannedService, SkippedItem } from './plan.js';
import { isObj, pluginConfig, stringList, type Obj } from './read.js';

/** Kong's authentication plugins (OSS and Enterprise) whose credentials Gatehouse does not import. */
const OTHER_AUTH = new Set(['key-auth', 'key-auth-enc', 'basic-auth', 'hmac-auth', 'oauth2', 'oauth2-introspection', 'ldap-auth', 'ldap-auth-advanced', 'openid-connect', 'mtls-auth', 'jwt-signer', 'session', 'vault-auth', 'saml']);
/** jwt settings Gatehouse has its own place for, or that only name where the token is read. */
const JWT_NOTES: Record<string, string> = {
  claims_to_verify: "Gatehouse checks exp and nbf whenever present; to require exp set the partner's consumerJwtMaxLifetime",
  maximum_expiration: "use the partner's consumerJwtMaxLifetime setting",
  secret_is_base64: 'base64 secrets are not supported: HS256 tokens signed with the decoded secret will not verify',
  key_claim_name: 'Gatehouse finds the credential by the header kid, else the iss claim',
};
const GROUP = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Regular-expression paths: Kong 3's `~` prefix, or Kong < 3's heuristic (any regex metacharacter). */
const REGEX_PATH = /^~|[()[\]*+?^$|\\{}]/;
const PREFIX_CHARS = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

export interface RouteInput {
  /** The name the services are named after. */
  name: string;
  paths: unknown;
  methods: unknown;
  /** Kong routing conditions Gatehouse cannot express (hosts, headers, snis, sources, destinations). */
  conditions: Obj;
  /** The plugins in effect, one per name (route over service over global). */
  plugins: Obj[];
  source: string;
}

type Access = { access: PlannedAccess; allowedGroups: string[]; deniedGroups: string[]; rateLimits: PlannedRateLimits | null };

/** The services a route becomes, or why it cannot; plugin-level notes are added to `skipped` either way. */
export function servicesOfRoute(r: RouteInput, skipped: SkippedItem[]): PlannedService[] {
  const skipRoute = (reason: string): PlannedService[] => {
    skipped.push({ kind: 'route', name: r.name, reason, source: r.source });
    return [];
  };
  for (const [field, v] of Object.entries(r.conditions)) {
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(isObj(v) && Object.keys(v).length === 0)) {
      return skipRoute(`routing on ${field} is not represented (Gatehouse services match paths and methods only)`);
    }
  }
  const rule = accessOf(r, skipped);
  if (typeof rule === 'string') return skipRoute(rule);
  const methods = stringList(r.methods);
  if (methods === undefined) return skipRoute('methods must be a list of method names');
  const paths = stringList(r.paths);
  if (paths === undefined) return skipRoute('paths must be a list of strings');
  const out: PlannedService[] = [];
  for (const path of paths.length ? paths : ['/']) {
    if (REGEX_PATH.test(path)) {
      skipped.push({ kind: 'route', name: r.name, reason: `regex path ${JSON.stringify(path)} is beyond Gatehouse's prefix rules`, source: r.source });
      continue;
    }
    if (!PREFIX_CHARS.test(path) || path.includes('//')) {
      skipped.push({ kind: 'route', name: r.name, reason: `path ${JSON.stringify(path)} is not a plain path prefix`, source: r.source });
      continue;
    }
    out.push({
      name: paths.length > 1 ? `${r.name} ${path}` : r.name,
      routePrefix: path,
      methods: [...new Set(methods.map((m) => m.toUpperCase()))].sort(),
      ...rule,
      source: r.source,
    });
  }
  return out;
}

function accessOf(r: RouteInput, skipped: SkippedItem[]): Access | string {
  const note = (name: string, reason: string) => skipped.push({ kind: 'plugin', name, reason, source: r.source });
  let jwt: Obj | undefined;
  let acl: Obj | undefined;
  let rateLimits: PlannedRateLimits | null = null;
  const otherAuth: string[] = [];
  for (const p of r.plugins) {
    const name = String(p.name);
    if (name === 'jwt') jwt = pluginConfig(p);
    else if (name === 'acl') acl = pluginConfig(p);
    else if (name === 'rate-limiting') rateLimits = rateLimitsOf(pluginConfig(p), (why) => note(name, why));
    else if (OTHER_AUTH.has(name)) otherAuth.push(name);
    else note(name, 'plugin not enforced by Gatehouse (a proxy concern: configure it in the proxy)');
  }
  if (jwt) {
    if (jwt.anonymous !== undefined && jwt.anonymous !== null && jwt.anonymous !== '') return 'jwt with an anonymous consumer (logical OR) is not represented';
    for (const [k, why] of Object.entries(JWT_NOTES)) {
      const v = jwt[k];
      const isDefault = v === undefined || v === null || v === false || v === 0 || v === 'iss' || (Array.isArray(v) && v.length === 0);
      if (!isDefault) note('jwt', `config ${k} = ${JSON.stringify(v)}: ${why}`);
    }
  }
  const authenticated = jwt !== undefined || otherAuth.length > 0;
  for (const name of otherAuth) note(name, jwt || acl ? `${name} credentials are not imported; consumers call with a JWT` : `${name} credentials are not imported`);
  if (!acl) {
    if (!authenticated) return { access: 'public', allowedGroups: [], deniedGroups: [], rateLimits };
    if (!jwt) return `protected by ${otherAuth.join(', ')} only, whose credentials Gatehouse does not import`;
    return { access: 'authenticated', allowedGroups: [], deniedGroups: [], rateLimits };
  }
  if (!authenticated) return 'acl without an authentication plugin refuses every request in Kong';
  const allow = stringList(acl.allow ?? acl.whitelist);
  const deny = stringList(acl.deny ?? acl.blacklist);
  if (allow === undefined || deny === undefined) return 'acl allow / deny must be lists of group names';
  const bad = [...allow, ...deny].filter((g) => !GROUP.test(g));
  if (bad.length) return `acl group names ${bad.map((g) => JSON.stringify(g)).join(', ')} do not match ${GROUP.source}`;
  if (allow.length === 0 && deny.length === 0) return 'acl with neither allow nor deny';
  return { access: allow.length ? 'groups' : 'authenticated', allowedGroups: [...new Set(allow)], deniedGroups: [...new Set(deny)], rateLimits };
}

const WINDOWS = ['second', 'minute', 'hour', 'day'] as const;

function rateLimitsOf(config: Obj, note: (why: string) => void): PlannedRateLimits | null {
  const limitBy = config.limit_by ?? 'consumer';
  if (limitBy !== 'consumer' && limitBy !== 'credential' && limitBy !== 'ip') {
    note(`limit_by ${JSON.stringify(limitBy)} is not represented (consumer, credential or ip); the limits are not imported`);
    return null;
  }
  const out: PlannedRateLimits = { limitBy };
  for (const w of WINDOWS) {
    const raw = config[w];
    if (raw === undefined || raw === null) continue;
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
      note(`${w} = ${JSON.stringify(raw)} is not a positive whole number; not imported`);
      continue;
    }
    out[w] = n;
  }
  for (const w of ['month', 'year']) if (config[w] !== undefined && config[w] !== null) note(`${w} windows are not represented (second, minute, hour, day)`);
  return WINDOWS.some((w) => out[w] !== undefined) ? out : null;
}
