/**
 * Connection settings of the client commands: flags, then a named profile or the KALTURA_*
 * environment variables (the names of the seed toolkit's settings.py, in spirit).
 *
 * Precedence: flags > `--profile <name>` > environment. A profile is self-contained: when one is
 * named, KALTURA_* variables are ignored, so an admin secret exported for one partner can never be
 * combined with another profile's partner or URL. Flags still override single values.
 *
 * Profile file (JSON, `~/.config/gatehouse/cli.json` unless GATEHOUSE_CLI_CONFIG names another):
 *
 * ```json
 * { "profiles": { "prod": { "url": "https://gatehouse.example.edu", "partnerId": 100,
 *                           "adminSecret": "…", "userId": "media-admin@example.edu" },
 *                 "lms":  { "url": "https://gatehouse.example.edu", "partnerId": 100, "ks": "…" } } }
 * ```
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ConfigError, type Secrets } from '../errors.js';

/** Values as given on the command line (commander's camelCase option names). */
export interface ConnectionFlags {
  url?: string;
  partnerId?: string;
  adminSecret?: string;
  userId?: string;
  ks?: string;
  profile?: string;
}

/** The resolved settings. Every field may be missing; commands ask for what they need. */
export interface Connection {
  url: string | undefined;
  partnerId: number | undefined;
  adminSecret: string | undefined;
  userId: string | undefined;
  ks: string | undefined;
  /** Where the values came from, for messages: `profile "prod"` or `environment`. */
  source: string;
}

/** The environment variables read (empty values count as unset). */
export const ENV = {
  url: 'KALTURA_SERVICE_URL',
  partnerId: 'KALTURA_PARTNER_ID',
  adminSecret: 'KALTURA_ADMIN_SECRET',
  userId: 'KALTURA_USER_ID',
  ks: 'KALTURA_SESSION',
  configFile: 'GATEHOUSE_CLI_CONFIG',
} as const;

const PROFILE_KEYS = ['url', 'partnerId', 'adminSecret', 'userId', 'ks'] as const;
type ProfileKey = (typeof PROFILE_KEYS)[number];
type RawSettings = Partial<Record<ProfileKey, string>>;

export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  return env[ENV.configFile] || path.join(homedir(), '.config', 'gatehouse', 'cli.json');
}

/**
 * Resolves the settings; `warn` receives the permissions warning for a profile file that others
 * can read. Every secret found is registered with `secrets` so no error can print it.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, secrets: Secrets, warn: (message: string) => void): Connection {
  const base: RawSettings = flags.profile ? loadProfile(flags.profile, defaultConfigPath(env), warn) : fromEnv(env);
  const pick = (k: ProfileKey): string | undefined => nonEmpty(flags[k]) ?? nonEmpty(base[k]);
  const conn: Connection = {
    url: pick('url'),
    partnerId: parsePartnerId(pick('partnerId'), flags.partnerId ? '--partner-id' : flags.profile ? `profile "${flags.profile}" partnerId` : ENV.partnerId),
    adminSecret: pick('adminSecret'),
    userId: pick('userId'),
    ks: pick('ks'),
    source: flags.profile ? `profile "${flags.profile}"` : 'environment',
  };
  if (conn.url !== undefined) checkUrl(conn.url);
  secrets.add(conn.adminSecret);
  secrets.add(conn.ks);
  return conn;
}

function fromEnv(env: NodeJS.ProcessEnv): RawSettings {
  return { url: env[ENV.url], partnerId: env[ENV.partnerId], adminSecret: env[ENV.adminSecret], userId: env[ENV.userId], ks: env[ENV.ks] };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function parsePartnerId(v: string | undefined, where: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new ConfigError(`${where} must be an integer partner id (got "${v}")`);
  return Number(v);
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`the service URL must be an http(s) URL such as https://gatehouse.example.edu (got "${url}")`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`the service URL must use http or https (got "${u.protocol}")`);
}

function loadProfile(name: string, file: string, warn: (message: string) => void): RawSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`--profile ${name}: cannot read the profile file ${file} (set ${ENV.configFile} to use another file)`);
  }
  warnIfShared(file, warn);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} is not valid JSON`);
  }
  const profiles = isRecord(doc) && isRecord(doc.profiles) ? doc.profiles : undefined;
  if (!profiles) throw new ConfigError(`${file} must be a JSON object {"profiles": {"<name>": {...}}}`);
  const raw = profiles[name];
  if (!isRecord(raw)) {
    const names = Object.keys(profiles);
    throw new ConfigError(`no profile "${name}" in ${file}${names.length ? ` (profiles: ${names.join(', ')})` : ''}`);
  }
  const out: RawSettings = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(PROFILE_KEYS as readonly string[]).includes(k)) throw new ConfigError(`profile "${name}" in ${file}: unknown key "${k}" (known: ${PROFILE_KEYS.join(', ')})`);
    if (typeof v !== 'string' && !(k === 'partnerId' && typeof v === 'number')) throw new ConfigError(`profile "${name}" in ${file}: "${k}" must be a ${k === 'partnerId' ? 'number' : 'string'}`);
    out[k as ProfileKey] = String(v);
  }
  return out;
}

/** The file may hold an admin secret: say so when group or others can read or write it. */
function warnIfShared(file: string, warn: (message: string) => void): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    warn(`${file} is accessible by group or others (mode ${mode.toString(8).padStart(4, '0')}); it may hold an admin secret: chmod 600 ${file}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
