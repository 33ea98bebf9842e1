/**
 * Sunbird's Ansible lists, already rendered: `kong_apis` in the shape of the `kong-api` role's
 * defaults (Kong's old API entity: name, uris, methods, hosts, upstream_url, strip_uri, plugins
 * with `config.<field>` keys, acl `whitelist` / `blacklist`) and `kong_consumers` in the shape of
 * the `kong-consumer` role's (username, groups, state), optionally with `jwt_secrets` in Kong's
 * shape. Everything else in the document is an Ansible variable, listed once as not imported.
 */
import { consumerOf } from './consumers.js';
import type { ImportPlan } from './plan.js';
import { ImportInputError, isObj, templateIn, type Obj } from './read.js';
import { servicesOfRoute } from './routes.js';

const LISTS = ['kong_apis', 'kong_consumers'];
const API_FIELDS = new Set(['name', 'uris', 'paths', 'methods', 'hosts', 'upstream_url', 'strip_uri', 'preserve_host', 'plugins', 'https_only', 'http_if_terminated', 'retries', 'upstream_connect_timeout', 'upstream_send_timeout', 'upstream_read_timeout']);

export const isSunbird = (doc: Obj): boolean => LISTS.some((k) => k in doc);

export function planFromSunbird(doc: Obj, file: string, plan: ImportPlan): void {
  const others = Object.keys(doc).filter((k) => !LISTS.includes(k));
  if (others.length) plan.skipped.push({ kind: 'document', name: others.join(', '), reason: 'Ansible variables: only kong_apis and kong_consumers are imported (render the role first)', source: file });
  for (const key of LISTS) {
    const v = doc[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && templateIn(v)) {
      plan.skipped.push({ kind: 'document', name: key, reason: 'unrendered template: the whole list is a template', source: file });
      continue;
    }
    if (!Array.isArray(v)) throw new ImportInputError(`${file}: ${key} must be a list`);
    v.forEach((x, i) => (key === 'kong_apis' ? api(x, i, file, plan) : consumer(x, file, plan)));
  }
}

function api(x: unknown, i: number, file: string, plan: ImportPlan): void {
  const name = isObj(x) && typeof x.name === 'string' && x.name ? x.name : `kong_apis[${i}]`;
  const source = `${file}: api ${name}`;
  if (!isObj(x)) return void plan.skipped.push({ kind: 'route', name, reason: 'not a mapping', source });
  const template = templateIn(x);
  if (template) return void plan.skipped.push({ kind: 'route', name, reason: `unrendered template in ${template}`, source });
  const plugins = x.plugins ?? [];
  if (!Array.isArray(plugins) || !plugins.every((p) => isObj(p) && typeof p.name === 'string')) {
    return void plan.skipped.push({ kind: 'route', name, reason: 'plugins must be a list of mappings with a name', source });
  }
  for (const k of Object.keys(x)) if (!API_FIELDS.has(k)) plan.skipped.push({ kind: 'field', name: `${name} ${k}`, reason: 'unknown API field', source });
  // The last entry of a plugin name wins, as a later Admin API call would replace the earlier.
  const effective = new Map<string, Obj>();
  for (const p of plugins as Obj[]) if (p.enabled !== false) effective.set(p.name as string, p);
  plan.services.push(...servicesOfRoute({ name, paths: x.uris ?? x.paths, methods: x.methods, conditions: { hosts: x.hosts }, plugins: [...effective.values()], source }, plan.skipped));
}

function consumer(x: unknown, file: string, plan: ImportPlan): void {
  const name = isObj(x) && typeof x.username === 'string' ? x.username : '?';
  const planned = consumerOf(x, `${file}: consumer ${name}`, plan.skipped);
  if (planned) plan.consumers.push(planned);
}
