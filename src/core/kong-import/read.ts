/**
 * Reading an import file: JSON or YAML text → a plain value, bounded (size, aliases, nesting), with
 * a clear message for everything malformed. Also the helpers both formats' parsers share: plain
 * object checks, unrendered Ansible templates (`{{ … }}`), lists given as comma-separated strings.
 */
import { parse } from 'yaml';

/** Largest file accepted (Sunbird's 471 routes are about 160 KB of YAML). */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
const MAX_DEPTH = 64;

/** A file that cannot be imported at all; the message names the file and the problem. */
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
}

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function depthOk(v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) return v.every((x) => depthOk(x, depth + 1));
  if (isObj(v)) return Object.values(v).every((x) => depthOk(x, depth + 1));
  return true;
}

/** The file's content as a plain value; throws ImportInputError when it is not one JSON or YAML document. */
export function readDocument(text: string, file: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) throw new ImportInputError(`${file}: larger than ${MAX_IMPORT_BYTES} bytes`);
  let value: unknown;
  try {
    // YAML 1.2 reads JSON too; aliases are bounded so a "billion laughs" file cannot expand.
    value = text.trimStart().startsWith('{') ? JSON.parse(text) : parse(text, { maxAliasCount: 1000, uniqueKeys: true, prettyErrors: false, merge: true });
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ImportInputError(`${file}: not valid JSON or YAML (${why})`);
  }
  if (!depthOk(value, 0)) throw new ImportInputError(`${file}: nested more than ${MAX_DEPTH} levels deep`);
  if (!isObj(value)) throw new ImportInputError(`${file}: expected a mapping at the top (Kong's declarative configuration or Sunbird's kong_apis / kong_consumers)`);
  return value;
}

const TEMPLATE = /\{\{.*?\}\}|\{%.*?%\}/s;

/** Where the first unrendered Ansible/Jinja template is in `v` (a dotted path), or undefined. */
export function templateIn(v: unknown, at = ''): string | undefined {
  if (typeof v === 'string') return TEMPLATE.test(v) ? at || '(value)' : undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = templateIn(v[i], `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const path = at ? `${at}.${k}` : k;
      if (TEMPLATE.test(k)) return path;
      const found = templateIn(x, path);
      if (found) return found;
    }
  }
  return undefined;
}

/** A list given as an array of strings or as one comma-separated string (the Admin API's form encoding); undefined if neither. */
export function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.map((s) => s.trim()).filter(Boolean);
  return undefined;
}

/** A plugin's configuration: Kong's `config` object, merged with Sunbird's dotted `config.<field>` keys. */
export function pluginConfig(p: Obj): Obj {
  const config: Obj = isObj(p.config) ? { ...p.config } : {};
  for (const [k, v] of Object.entries(p)) if (k.startsWith('config.')) config[k.slice('config.'.length)] = v;
  return config;
}

/** A reference to another entity: a name or id string, or `{name}` / `{id}`. */
export function refOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v) return v;
  if (isObj(v)) {
    if (typeof v.name === 'string' && v.name) return v.name;
    if (typeof v.id === 'string' && v.id) return v.id;
    if (typeof v.username === 'string' && v.username) return v.username;
  }
  return undefined;
}
