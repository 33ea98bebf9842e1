/**
 * Kong consumers → planned consumers: username, ACL groups, JWT credentials (`jwt_secrets`) with
 * their key, secret or public key and algorithm exactly as Kong holds them. Other credential kinds
 * and consumer-scoped plugins are reported, not imported. Shared by the decK and Sunbird parsers.
 */
import type { PlannedConsumer, PlannedCredential, SkippedItem } from './plan.js';
import { isObj, stringList, templateIn, type Obj } from './read.js';

/** Kong's other credential collections on a consumer. */
const OTHER_CREDENTIALS = ['keyauth_credentials', 'basicauth_credentials', 'hmacauth_credentials', 'oauth2_credentials', 'mtls_auth_credentials'];
const KNOWN_FIELDS = new Set(['username', 'custom_id', 'id', 'tags', 'created_at', 'updated_at', 'acls', 'jwt_secrets', 'plugins', 'groups', 'state', 'print_credentials', 'rate_limits', ...OTHER_CREDENTIALS]);

/** One consumer entry (decK's `consumers[]` or Sunbird's `kong_consumers[]`); undefined when skipped. */
export function consumerOf(c: unknown, source: string, skipped: SkippedItem[]): PlannedConsumer | undefined {
  if (!isObj(c)) {
    skipped.push({ kind: 'consumer', name: '?', reason: 'not a mapping', source });
    return undefined;
  }
  const name = typeof c.username === 'string' && c.username ? c.username : String(c.custom_id ?? c.id ?? '?');
  const skip = (reason: string) => {
    skipped.push({ kind: 'consumer', name, reason, source });
    return undefined;
  };
  if (typeof c.username !== 'string' || !c.username) return skip('no username (Gatehouse consumers are addressed by username)');
  const template = templateIn(c);
  if (template) return skip(`unrendered template in ${template}`);
  if (c.state === 'absent') return skip('state absent: not imported (an import never deletes)');
  const groups: string[] = [];
  const sunbirdGroups = stringList(c.groups);
  if (sunbirdGroups === undefined) return skip('groups must be a list of group names');
  groups.push(...sunbirdGroups);
  if (c.acls !== undefined) {
    if (!Array.isArray(c.acls)) return skip('acls must be a list');
    for (const a of c.acls) {
      const g = typeof a === 'string' ? a : isObj(a) ? a.group : undefined;
      if (typeof g !== 'string') return skip('an acl has no group');
      groups.push(g);
    }
  }
  const credentials: PlannedCredential[] = [];
  if (c.jwt_secrets !== undefined) {
    if (!Array.isArray(c.jwt_secrets)) return skip('jwt_secrets must be a list');
    for (const j of c.jwt_secrets) {
      const cred = credentialOf(j, c.username, source, skipped);
      if (cred) credentials.push(cred);
    }
  }
  for (const kind of OTHER_CREDENTIALS) {
    if (Array.isArray(c[kind]) && (c[kind] as unknown[]).length) skipped.push({ kind: 'credential', name: `${c.username} ${kind}`, reason: `${kind} are not imported (consumers call with a JWT)`, source });
  }
  if (Array.isArray(c.plugins) && c.plugins.length) {
    for (const p of c.plugins) skipped.push({ kind: 'plugin', name: `${isObj(p) ? String(p.name) : '?'} (consumer ${c.username})`, reason: 'consumer-scoped plugins are not represented', source });
  }
  if (c.rate_limits !== undefined) skipped.push({ kind: 'field', name: `${c.username} rate_limits`, reason: 'per-consumer rate limits are not represented', source });
  for (const k of Object.keys(c)) if (!KNOWN_FIELDS.has(k)) skipped.push({ kind: 'field', name: `${c.username} ${k}`, reason: 'unknown consumer field', source });
  return { username: c.username, groups: [...new Set(groups)], credentials, source };
}

/** One `jwt_secrets` row (also decK's top-level `jwt_secrets[]` with a `consumer`). */
export function credentialOf(j: unknown, username: string, source: string, skipped: SkippedItem[]): PlannedCredential | undefined {
  const o: Obj = isObj(j) ? j : {};
  const key = typeof o.key === 'string' ? o.key : '';
  const skip = (reason: string) => {
    skipped.push({ kind: 'credential', name: `${username} ${key || '?'}`, reason, source });
    return undefined;
  };
  if (!isObj(j)) return skip('not a mapping');
  if (!key) return skip('no key (Kong generated one: export the configuration with its credentials)');
  const template = templateIn(j);
  if (template) return skip(`unrendered template in ${template}`);
  const algorithm = typeof o.algorithm === 'string' && o.algorithm ? o.algorithm : 'HS256';
  if (algorithm.startsWith('HS')) {
    if (typeof o.secret !== 'string' || !o.secret) return skip('no secret');
    return { key, algorithm, secret: o.secret, source };
  }
  if (typeof o.rsa_public_key !== 'string' || !o.rsa_public_key) return skip(`no rsa_public_key for ${algorithm}`);
  return { key, algorithm, rsaPublicKey: o.rsa_public_key, source };
}
