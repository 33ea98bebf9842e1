/**
 * Loading the configuration: defaults < config file < `GATEHOUSE_*` environment < flags, every
 * source validated by the schema's types, the result deeply frozen. Bad values fail fast with a
 * `ConfigError` naming the variable, the rejected value (never for secrets) and what was expected.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_SCHEMA, SCHEMA_BY_KEY, maskUrlPassword } from './schema.js';
import type { ConfigEntry, ConfigKey, GatehouseConfig, ParseContext } from './schema.js';

export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

/** A configuration value or file was rejected. Thrown at start-up; the process should exit non-zero. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** The environment variable the problem is about (also for file keys and flags). */
    readonly variable: string,
    readonly source: ConfigSource,
  ) {
    super(message);
  }
}

export interface LoadConfigOptions {
  /** Environment to read `GATEHOUSE_*` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Command-line overrides by config key (`{ port: 9000 }`); `undefined` values are ignored. */
  flags?: Partial<Record<string, unknown>>;
  /** Directory that relative paths from the environment and flags resolve against (default `process.cwd()`). */
  cwd?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const MAX_SHOWN = 120;

function showValue(entry: ConfigEntry, raw: unknown): string {
  const shown = entry.type.display ? entry.type.display(raw) : JSON.stringify(raw) ?? String(raw);
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}…` : shown;
}

function where(entry: ConfigEntry, source: ConfigSource, file: string | undefined): string {
  switch (source) {
    case 'env':
      return 'from the environment';
    case 'file':
      return `from key "${entry.key}" of ${file ?? 'the config file'}`;
    case 'flag':
      return `from flag "${entry.key}"`;
    default:
      return 'built-in default';
  }
}

function parseEntry<K extends ConfigKey>(entry: ConfigEntry<K>, raw: unknown, source: ConfigSource, ctx: ParseContext, file?: string): NonNullable<GatehouseConfig[K]> {
  const result = entry.type.parse(raw, ctx);
  if (result.ok) return result.value;
  // Security: a secret is never echoed, not even a prefix; the message says where it came from instead.
  const value = entry.secret ? `(value hidden: ${entry.env} is a secret)` : `= ${showValue(entry, raw)}`;
  const problem = !entry.secret && result.problem ? ` (${result.problem})` : '';
  throw new ConfigError(`Invalid configuration: ${entry.env} ${value} ${where(entry, source, file)}: expected ${entry.type.expected}${problem}.`, entry.env, source);
}

function readConfigFile(file: string): Record<string, unknown> {
  const env = SCHEMA_BY_KEY.get('configFile')?.env ?? 'GATEHOUSE_CONFIG_FILE';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${env} = ${JSON.stringify(file)} cannot be read: ${(err as Error).message}.`, env, 'file');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${env} = ${JSON.stringify(file)} is not valid JSON: ${(err as Error).message}.`, env, 'file');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`Invalid configuration: ${env} = ${JSON.stringify(file)}: expected a JSON object of config keys.`, env, 'file');
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === 'configFile') {
      throw new ConfigError(`Invalid configuration: ${JSON.stringify(file)} sets "configFile"; a config file cannot name another one.`, env, 'file');
    }
    if (!SCHEMA_BY_KEY.has(key)) {
      throw new ConfigError(`Invalid configuration: ${JSON.stringify(file)} has unknown key ${JSON.stringify(key)}: expected one of ${knownKeys()}.`, env, 'file');
    }
  }
  return record;
}

const knownKeys = (): string => CONFIG_SCHEMA.filter((e) => e.key !== 'configFile').map((e) => e.key).join(', ');

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads, validates and freezes the configuration. Precedence: defaults < file (`GATEHOUSE_CONFIG_FILE`
 * or the `configFile` flag) < environment < flags. Empty environment variables count as unset. Every
 * source is validated, even a value that a later source overrides.
 *
 * @throws ConfigError on any bad value, unreadable or malformed file, unknown file key or unknown flag.
 */
export function loadConfig(opts: LoadConfigOptions = {}): Readonly<GatehouseConfig> {
  const env = opts.env ?? process.env;
  const flags = opts.flags ?? {};
  const cwdCtx: ParseContext = { baseDir: opts.cwd ?? process.cwd() };

  for (const key of Object.keys(flags)) {
    if (!SCHEMA_BY_KEY.has(key)) {
      throw new ConfigError(`Invalid configuration: unknown flag ${JSON.stringify(key)}: expected one of ${CONFIG_SCHEMA.map((e) => e.key).join(', ')}.`, key, 'flag');
    }
  }

  const valueOf = <K extends ConfigKey>(entry: ConfigEntry<K>, fileData: Record<string, unknown>, file: string | undefined): GatehouseConfig[K] => {
    let value: GatehouseConfig[K] = entry.default === undefined ? entry.default : parseEntry(entry, entry.default, 'default', cwdCtx);
    if (file !== undefined && fileData[entry.key] !== undefined) {
      value = parseEntry(entry, fileData[entry.key], 'file', { baseDir: path.dirname(file) }, file);
    }
    const fromEnv = env[entry.env];
    if (fromEnv !== undefined && fromEnv !== '') value = parseEntry(entry, fromEnv, 'env', cwdCtx);
    if (flags[entry.key] !== undefined) value = parseEntry(entry, flags[entry.key], 'flag', cwdCtx);
    return value;
  };

  const configFileEntry = CONFIG_SCHEMA.find((e) => e.key === 'configFile');
  const configFile = configFileEntry ? (valueOf(configFileEntry, {}, undefined) as string | undefined) : undefined;
  const fileData = configFile !== undefined ? readConfigFile(configFile) : {};

  const out: Partial<Mutable<GatehouseConfig>> = {};
  const assign = <K extends ConfigKey>(entry: ConfigEntry<K>): void => {
    out[entry.key] = valueOf(entry, fileData, configFile);
  };
  for (const entry of CONFIG_SCHEMA) assign(entry as ConfigEntry);
  return deepFreeze(out as GatehouseConfig);
}

/** Rows for documentation, in schema order. */
export interface ConfigDoc {
  readonly key: string;
  readonly env: string;
  readonly type: string;
  /** The default as text: a literal value, or an explanation such as "unset: generated …". */
  readonly default: string;
  /** Whether `default` is a literal value (rendered as code) rather than an explanation. */
  readonly defaultIsValue: boolean;
  readonly description: string;
  readonly secret: boolean;
}

function renderDefault(entry: ConfigEntry): string {
  if (entry.defaultText !== undefined) return entry.defaultText;
  const d: unknown = entry.default;
  if (d === undefined) return 'unset';
  if (Array.isArray(d)) return d.length === 0 ? 'empty' : d.join(',');
  return String(d);
}

/** The schema as documentation rows (for the README table and `gatehouse config --help`-style output). */
export function describeConfig(): ConfigDoc[] {
  return CONFIG_SCHEMA.map((e) => {
    const entry = e as ConfigEntry;
    return {
      key: entry.key,
      env: entry.env,
      type: entry.type.expected,
      default: renderDefault(entry),
      defaultIsValue: entry.defaultText === undefined && entry.default !== undefined && !(Array.isArray(entry.default) && entry.default.length === 0),
      description: entry.description,
      secret: entry.secret === true,
    };
  });
}

/**
 * Warnings to log loudly at start-up when a development default is in use: a generated master key
 * or a generated admin password is fine on a laptop and wrong in production.
 */
export function devDefaultsInUse(cfg: Readonly<GatehouseConfig>): string[] {
  const warnings: string[] = [];
  if (cfg.masterKey === undefined) {
    warnings.push(
      `GATEHOUSE_MASTER_KEY is not set: a master key is generated into the data directory (${cfg.dataDir}) on first start and read from there afterwards. ` +
        'Back up that file; secrets encrypted under a lost key cannot be recovered. Set GATEHOUSE_MASTER_KEY in production, the same on every node.',
    );
  }
  if (cfg.adminPassword === undefined) {
    warnings.push(
      `GATEHOUSE_ADMIN_PASSWORD is not set: if the admin login ${cfg.adminEmail} does not exist yet, it is created with a generated password that is printed once. ` +
        'Store it and change it, or set GATEHOUSE_ADMIN_PASSWORD before the first start.',
    );
  }
  return warnings;
}

/** The configuration as it may be logged: secrets replaced by `[redacted]`, the database password masked. */
export function configForLog(cfg: Readonly<GatehouseConfig>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of CONFIG_SCHEMA) {
    const entry = e as ConfigEntry;
    const value: unknown = cfg[entry.key];
    if (entry.secret) out[entry.key] = value === undefined ? undefined : '[redacted]';
    else if (entry.key === 'databaseUrl' && typeof value === 'string') out[entry.key] = maskUrlPassword(value);
    else out[entry.key] = value;
  }
  return out;
}
