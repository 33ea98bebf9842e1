/**
 * The one configuration schema. Every setting Gatehouse reads is an entry here: its config key
 * (camelCase, used in the JSON config file and for CLI flags), its `GATEHOUSE_*` environment variable
 * (a public contract: never rename one), its type, default and description. The loader, the error
 * messages and the README's configuration table are all generated from this list, so a setting
 * cannot exist without being validated and documented.
 */
import path from 'node:path';
import ipaddr from 'ipaddr.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The validated, frozen configuration of one Gatehouse process. */
export interface GatehouseConfig {
  /** Interface the HTTP server binds to. */
  readonly host: string;
  /** TCP port of the HTTP server. */
  readonly port: number;
  /** Directory for the SQLite database and the generated master key (absolute after loading). */
  readonly dataDir: string;
  /** PostgreSQL URL; `undefined` means SQLite in `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Master key for secrets at rest; `undefined` means "generate into dataDir" (a development default). */
  readonly masterKey: string | undefined;
  /** Login of the admin-console account created at first start. */
  readonly adminEmail: string;
  /** Password of that account; `undefined` means "generate and print once" (a development default). */
  readonly adminPassword: string | undefined;
  /** Whether anyone may create a publisher account from the console. */
  readonly openRegistration: boolean;
  /** Proxies whose `X-Forwarded-For` is believed, as normalised CIDRs (`10.0.0.0/8`, `::1/128`). */
  readonly trustedProxies: readonly string[];
  readonly logLevel: LogLevel;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /** How long in-flight requests may take to finish after SIGTERM, in milliseconds. */
  readonly shutdownGraceMs: number;
  /** The JSON file the settings were read from, if any (absolute). */
  readonly configFile: string | undefined;
  /** Whether the REST door accepts API keys in the `key` query parameter (Kala compatibility). */
  readonly apiKeyInQuery: boolean;
  /** Longest allowed API key validity (`validTo - validFrom`), in seconds. */
  readonly apiKeyMaxValidity: number;
  /** Lifetime of REST access tokens (JWT), in seconds. */
  readonly jwtTtl: number;
  /** How long one JWT signing key signs before the next one takes over, in seconds. */
  readonly jwtKeyRotation: number;
  /** The `iss` of access tokens this installation issues and accepts. */
  readonly jwtIssuer: string;
  /** Failed sign-ins per client address per minute before that address gets 429 / LOGIN_BLOCKED; 0 = no throttle. */
  readonly loginThrottle: number;
  /** Failed sign-ins of one login, across all addresses, that lock it for the partner's block period; 0 = no ceiling. */
  readonly loginCeiling: number;
  /** Gateway (`/authz/api`): requests per minute per credential, 0 = unlimited. */
  readonly gatewayRateLimit: number;
  /** Longest lifetime (`exp` - now) of a consumer JWT in seconds; 0 = `exp` optional (Sunbird tokens have none). */
  readonly consumerJwtMaxLifetime: number;
  /** MMDB file for IP → country (country conditions); `undefined` means the database bundled with the npm package. */
  readonly geoipDb: string | undefined;
  /** Base URL the delivery door redirects allowed viewers to (no trailing slash); `undefined`: delivery URLs answer 503. */
  readonly deliveryOrigin: string | undefined;
  /** Lifetime of the signed `gh_token` of delivery redirects, in seconds. */
  readonly deliveryTokenTtl: number;
  /** Most access-control profiles a partner may have (Kaltura's partner limit). */
  readonly accessControlProfileLimit: number;
  /** Base URL browsers reach this server at (no trailing slash); `undefined`: `http://{host}:{port}` (see publicUrlOf). */
  readonly publicUrl: string | undefined;
}

export type ConfigKey = keyof GatehouseConfig;

/** Where a raw value came from; relative paths are resolved against `baseDir`. */
export interface ParseContext {
  readonly baseDir: string;
}

/** Parsing a raw value is an outcome, not a fault: the loader turns `ok: false` into a ConfigError. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem?: string };

/** A value type of the schema: how to read a raw value (env string, JSON value or flag) and how to document it. */
export interface ConfigType<T> {
  /** Short name for the docs table, e.g. `port`, `bool`, `enum`. */
  readonly name: string;
  /** What a valid value looks like, completing "expected …". */
  readonly expected: string;
  parse(raw: unknown, ctx: ParseContext): ParseResult<T>;
  /** How to show a rejected raw value in an error (default: JSON of the value). */
  display?(raw: unknown): string;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const bad = (problem?: string): ParseResult<never> => (problem === undefined ? { ok: false } : { ok: false, problem });

function parseInteger(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) {
    const n = Number(raw.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** Non-empty text; `minLength` lets secrets refuse toy values such as "changeme". */
export function stringType(opts: { minLength?: number } = {}): ConfigType<string> {
  const min = opts.minLength ?? 1;
  return {
    name: 'string',
    expected: min > 1 ? `a string of at least ${min} characters` : 'a non-empty string',
    parse: (raw) => (typeof raw === 'string' && raw.length >= min ? ok(raw) : bad()),
  };
}

export function portType(): ConfigType<number> {
  return {
    name: 'port',
    expected: 'an integer port from 1 to 65535',
    parse(raw) {
      const n = parseInteger(raw);
      return n !== undefined && n >= 1 && n <= 65535 ? ok(n) : bad();
    },
  };
}

export function intType(opts: { min: number; max: number; unit?: string }): ConfigType<number> {
  const unit = opts.unit ? ` (${opts.unit})` : '';
  return {
    name: 'int',
    expected: `an integer from ${opts.min} to ${opts.max}${unit}`,
    parse(raw) {
      const n = parseInteger(raw);
      return n !== undefined && n >= opts.min && n <= opts.max ? ok(n) : bad();
    },
  };
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

export function boolType(): ConfigType<boolean> {
  return {
    name: 'bool',
    expected: 'one of true, false, 1, 0, yes, no',
    parse(raw) {
      if (typeof raw === 'boolean') return ok(raw);
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : typeof raw === 'number' ? String(raw) : '';
      if (TRUE_WORDS.has(word)) return ok(true);
      if (FALSE_WORDS.has(word)) return ok(false);
      return bad();
    },
  };
}

export function enumType<const V extends string>(values: readonly V[]): ConfigType<V> {
  return {
    name: 'enum',
    expected: `one of ${values.join(', ')}`,
    parse(raw) {
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      const hit = values.find((v) => v === word);
      return hit !== undefined ? ok(hit) : bad();
    },
  };
}

/**
 * Hides the password of a URL (`postgres://u:***@h/db`, `?password=***`), even when the URL does
 * not parse. Greedy up to the last `@` before the path, so an unencoded `@` in a password is covered.
 */
export function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[^/]*@/i, '$1***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** A PostgreSQL connection URL. Shown in errors with its password masked. */
export function postgresUrlType(): ConfigType<string> {
  return {
    name: 'url',
    expected: 'a postgres:// or postgresql:// URL',
    parse(raw) {
      if (typeof raw !== 'string') return bad();
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        return bad('not a URL');
      }
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return bad(`scheme ${url.protocol} is not postgres`);
      return ok(raw.trim());
    },
    display: (raw) => JSON.stringify(typeof raw === 'string' ? maskUrlPassword(raw) : raw),
  };
}

/**
 * One IP or CIDR, strictly (four-part decimal IPv4, no IPv6 zone), normalised to its network CIDR.
 * Security: a lax parse (ipaddr.isValid accepts "10" or "0x7f.1") would let a typo widen trust.
 */
function normaliseCidr(item: string): string | undefined {
  if (item.includes('%')) return undefined;
  if (item.includes('/')) {
    if (ipaddr.IPv4.isValidCIDRFourPartDecimal(item)) {
      const prefix = ipaddr.IPv4.parseCIDR(item)[1];
      return `${ipaddr.IPv4.networkAddressFromCIDR(item).toString()}/${prefix}`;
    }
    if (ipaddr.IPv6.isValidCIDR(item)) {
      const prefix = ipaddr.IPv6.parseCIDR(item)[1];
      return `${ipaddr.IPv6.networkAddressFromCIDR(item).toString()}/${prefix}`;
    }
    return undefined;
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(item)) return `${ipaddr.IPv4.parse(item).toString()}/32`;
  if (ipaddr.IPv6.isValid(item)) return `${ipaddr.IPv6.parse(item).toString()}/128`;
  return undefined;
}

/** Comma-separated (or, in the file, an array of) IPv4/IPv6 addresses and CIDRs. */
export function cidrListType(): ConfigType<readonly string[]> {
  return {
    name: 'cidrList',
    expected: 'a comma-separated list of IPv4/IPv6 addresses or CIDRs, e.g. 10.0.0.0/8,::1',
    parse(raw) {
      const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
      if (items === undefined) return bad();
      const out: string[] = [];
      for (const item of items) {
        if (typeof item !== 'string') return bad('every item must be a string');
        const trimmed = item.trim();
        if (trimmed === '') continue;
        const cidr = normaliseCidr(trimmed);
        if (cidr === undefined) return bad(`${JSON.stringify(trimmed)} is not an IP address or CIDR`);
        if (!out.includes(cidr)) out.push(cidr);
      }
      return ok(out);
    },
  };
}

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is not our business.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function emailType(): ConfigType<string> {
  return {
    name: 'email',
    expected: 'an email address such as admin@example.com',
    parse(raw) {
      if (typeof raw !== 'string') return bad();
      const v = raw.trim();
      return v.length <= 254 && EMAIL.test(v) ? ok(v) : bad();
    },
  };
}

/** A filesystem path; relative paths resolve against the working directory (or the config file's directory). */
export function pathType(): ConfigType<string> {
  return {
    name: 'path',
    expected: 'a filesystem path',
    parse: (raw, ctx) => (typeof raw === 'string' && raw.trim() !== '' && !raw.includes('\0') ? ok(path.resolve(ctx.baseDir, raw.trim())) : bad()),
  };
}

/**
 * An http(s) base URL without query, fragment or credentials, returned without its trailing
 * slash so a path can be appended to it (`https://cdn.example.com/media`).
 */
export function httpBaseUrlType(): ConfigType<string> {
  return {
    name: 'url',
    expected: 'an http:// or https:// URL without query, fragment or user:password, e.g. https://cdn.example.com/media',
    parse(raw) {
      if (typeof raw !== 'string') return bad();
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        return bad('not a URL');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad(`scheme ${url.protocol} is not http or https`);
      if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) return bad('a query or fragment cannot be followed by a path');
      // Credentials would be handed to every viewer in the Location header.
      if (url.username !== '' || url.password !== '') return bad('credentials in the URL would be sent to every viewer');
      return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
    },
  };
}

/** One setting. `default` is a typed value and goes through `type.parse` like any other source. */
export interface ConfigEntry<K extends ConfigKey = ConfigKey> {
  readonly key: K;
  readonly env: `GATEHOUSE_${string}`;
  readonly type: ConfigType<NonNullable<GatehouseConfig[K]>>;
  readonly default: GatehouseConfig[K];
  /** What the docs say about the default when the value alone would not explain it (e.g. unset → generated). */
  readonly defaultText?: string;
  readonly description: string;
  /** Secret values are never echoed: not in errors, not in logs, not in `configForLog`. */
  readonly secret?: boolean;
}

type AnyEntry = { [K in ConfigKey]: ConfigEntry<K> }[ConfigKey];

const entry = <K extends ConfigKey>(e: ConfigEntry<K>): ConfigEntry<K> => e;

export const MIB = 1024 * 1024;

/** The schema, in the order the README documents it. */
export const CONFIG_SCHEMA = [
  entry({ key: 'host', env: 'GATEHOUSE_HOST', type: stringType(), default: '127.0.0.1', description: 'Interface the HTTP server listens on. Use `0.0.0.0` (or `::`) to accept connections from other machines, e.g. in a container.' }),
  entry({ key: 'port', env: 'GATEHOUSE_PORT', type: portType(), default: 8080, description: 'TCP port of the HTTP server.' }),
  entry({ key: 'dataDir', env: 'GATEHOUSE_DATA_DIR', type: pathType(), default: './data', description: 'Directory for the SQLite database and the generated master key. Relative paths are resolved against the working directory (in the config file: against the file\'s directory).' }),
  entry({ key: 'databaseUrl', env: 'GATEHOUSE_DATABASE_URL', type: postgresUrlType(), default: undefined, defaultText: 'unset: SQLite file `gatehouse.sqlite` in the data directory', description: 'PostgreSQL connection URL (`postgres://user:pass@host:5432/db`). Set it in production and whenever several Gatehouse processes share one database. The password is masked in logs and errors.' }),
  entry({ key: 'masterKey', env: 'GATEHOUSE_MASTER_KEY', type: stringType({ minLength: 32 }), default: undefined, secret: true, defaultText: 'unset: generated into the data directory at first start, with a warning', description: 'Key that encrypts partner secrets, app tokens and consumer secrets at rest (at least 32 characters, e.g. `openssl rand -base64 32`). Back it up: secrets encrypted under a lost key cannot be recovered. Every node sharing a database needs the same key.' }),
  entry({ key: 'adminEmail', env: 'GATEHOUSE_ADMIN_EMAIL', type: emailType(), default: 'admin@gatehouse.local', description: 'Login of the admin-console account created at first start. The default uses the `.local` suffix so it can never be a real mailbox; it is only a login id.' }),
  entry({ key: 'adminPassword', env: 'GATEHOUSE_ADMIN_PASSWORD', type: stringType({ minLength: 8 }), default: undefined, secret: true, defaultText: 'unset: generated and printed once at first start', description: 'Password of the admin-console account, used only when that account is first created (at least 8 characters).' }),
  entry({ key: 'openRegistration', env: 'GATEHOUSE_OPEN_REGISTRATION', type: boolType(), default: false, description: 'Let anyone register a publisher partner (`partner.register` without an operator session, and the console sign-up page). Off by default: only operators create partners.' }),
  entry({ key: 'trustedProxies', env: 'GATEHOUSE_TRUSTED_PROXIES', type: cidrListType(), default: [], defaultText: 'empty: the client IP is the socket address', description: 'Comma-separated IPs/CIDRs of reverse proxies whose `X-Forwarded-For` is trusted for the client IP (IP-based access control, audit). Only list proxies you run.' }),
  entry({ key: 'logLevel', env: 'GATEHOUSE_LOG_LEVEL', type: enumType(LOG_LEVELS), default: 'info', description: 'Minimum level of the JSON logs on stdout.' }),
  entry({ key: 'bodyLimit', env: 'GATEHOUSE_BODY_LIMIT', type: intType({ min: 1024, max: 100 * MIB, unit: 'bytes' }), default: MIB, defaultText: '1048576 (1 MiB)', description: 'Largest request body accepted, in bytes. Larger requests are refused with an error in the shape of the door that received them (the Kaltura door answers with a `KalturaAPIException`).' }),
  entry({ key: 'shutdownGraceMs', env: 'GATEHOUSE_SHUTDOWN_GRACE_MS', type: intType({ min: 0, max: 300_000, unit: 'milliseconds' }), default: 10_000, description: 'After SIGTERM, how long in-flight requests may take to finish before the process exits.' }),
  entry({ key: 'apiKeyInQuery', env: 'GATEHOUSE_API_KEY_IN_QUERY', type: boolType(), default: true, description: 'Accept REST API keys in the `key` query parameter as well as in the `X-API-Key` header, as Kala clients send them. Query strings end up in proxy and browser logs (ASVS 14.2.1): set `false` once your clients use the header. Gatehouse itself redacts `key` from its logs.' }),
  entry({ key: 'apiKeyMaxValidity', env: 'GATEHOUSE_API_KEY_MAX_VALIDITY', type: intType({ min: 60, max: 10 * 365 * 86400, unit: 'seconds' }), default: 365 * 86400, defaultText: '31536000 (365 days)', description: 'Longest validity window of a REST API key (`validTo` at most this long after `validFrom`, and after the moment the key is created). A partner setting `apiKeyMaxValidity` (seconds) can only shorten it.' }),
  entry({ key: 'jwtTtl', env: 'GATEHOUSE_JWT_TTL', type: intType({ min: 60, max: 86400, unit: 'seconds' }), default: 900, defaultText: '900 (15 minutes)', description: 'Lifetime of the access tokens (JWT) issued by `POST /api/auth/access-token`. Short on purpose: a token stays valid until it expires (a blocked or deleted user is refused at once).' }),
  entry({ key: 'jwtKeyRotation', env: 'GATEHOUSE_JWT_KEY_ROTATION', type: intType({ min: 3600, max: 365 * 86400, unit: 'seconds' }), default: 30 * 86400, defaultText: '2592000 (30 days)', description: 'How long one ES256 signing key of the access tokens is used before the next one (published in the JWKS a day ahead) takes over. Retired keys stay in the JWKS for one token lifetime so issued tokens keep verifying.' }),
  entry({ key: 'jwtIssuer', env: 'GATEHOUSE_JWT_ISSUER', type: stringType(), default: 'urn:gatehouse', description: 'The `iss` claim of access tokens, checked on every verification. Give each installation its own (e.g. its public URL) when several share clients.' }),
  entry({ key: 'loginThrottle', env: 'GATEHOUSE_LOGIN_THROTTLE', type: intType({ min: 0, max: 1_000_000, unit: 'failed sign-ins per client address per minute' }), default: 30, defaultText: '30 (0 turns the throttle off)', description: 'Per-address throttle of every password sign-in (`user.loginByLoginId`, `partner.getSecrets`, `POST /api/auth/access-token`): once an address has this many failed sign-ins in a minute (attempts in flight count), its further sign-ins are refused until the minute ends — 429 with `Retry-After` on the REST door, `LOGIN_BLOCKED` ("Too many failed sign-in attempts…") on the Kaltura door — whichever login they name, and no password is checked. Counted in the database, so every node shares one budget. IPv6 addresses count per /64.' }),
  entry({ key: 'loginCeiling', env: 'GATEHOUSE_LOGIN_CEILING', type: intType({ min: 0, max: 1_000_000, unit: 'failed sign-ins' }), default: 50, defaultText: '50 (0 turns the ceiling off)', description: 'Per-login ceiling across all client addresses: a login with this many failed sign-ins (attempts in flight count) is locked for its partner\'s `loginBlockPeriod`, from every address. It stops a guesser spread over many addresses; the partner\'s `maxLoginAttempts` (default 5) counts per login *and* address, so one address cannot lock the owner out elsewhere. Failures are forgotten after a block period without one.' }),
  entry({ key: 'gatewayRateLimit', env: 'GATEHOUSE_GATEWAY_RATE_LIMIT', type: intType({ min: 0, max: 100_000_000, unit: 'requests per minute' }), default: 0, defaultText: '0 (unlimited)', description: 'Gateway (`/authz/api`) rate limit per credential (consumer credential or API key): requests per minute, counted in fixed one-minute windows in each node\'s memory, so N nodes allow up to N × this. Over the limit the gateway answers 429 with `Retry-After`. A partner setting `gatewayRateLimit` replaces it for that partner.' }),
  entry({ key: 'consumerJwtMaxLifetime', env: 'GATEHOUSE_CONSUMER_JWT_MAX_LIFETIME', type: intType({ min: 0, max: 365 * 86400, unit: 'seconds' }), default: 0, defaultText: '0 (`exp` optional)', description: 'Longest lifetime of a consumer JWT at the gateway: when above 0, tokens must carry `exp`, at most this many seconds ahead (Kong\'s `maximum_expiration`). 0 accepts Sunbird\'s `{"iss": key}` tokens, which never expire. A partner setting `consumerJwtMaxLifetime` can require or shorten it, never lift it.' }),
  entry({ key: 'configFile', env: 'GATEHOUSE_CONFIG_FILE', type: pathType(), default: undefined, defaultText: 'unset: no file', description: 'Optional JSON file whose keys are the config keys of this table (e.g. `{"port": 9000, "trustedProxies": ["10.0.0.0/8"]}`). Environment variables and flags override it; unknown keys are an error.' }),
  entry({ key: 'geoipDb', env: 'GATEHOUSE_GEOIP_DB', type: pathType(), default: undefined, defaultText: 'unset: the database bundled with the npm package `@ip-location-db/geo-whois-asn-country-mmdb`', description: 'MMDB file used to find the country of a client IP for country conditions (records with `country_code`, or MaxMind-style `country.iso_code`). Set it to use a newer download or a commercial database; private and unknown addresses never have a country.' }),
  entry({ key: 'deliveryOrigin', env: 'GATEHOUSE_DELIVERY_ORIGIN', type: httpBaseUrlType(), default: undefined, defaultText: 'unset: the delivery URLs (`/p/...`) answer 503; forward-auth (`/authz/delivery`) works without it', description: 'Where the delivery door sends allowed viewers: a `/p/...` playManifest, raw or thumbnail URL is answered with a 302 to this base URL plus the original path (KS removed) and a signed `gh_token` (see "Delivery enforcement").' }),
  entry({ key: 'deliveryTokenTtl', env: 'GATEHOUSE_DELIVERY_TOKEN_TTL', type: intType({ min: 5, max: 3600, unit: 'seconds' }), default: 60, description: 'Lifetime of the `gh_token` appended to delivery redirects. Short on purpose: it only has to outlive the redirect; the origin or CDN refuses it after `exp`.' }),
  entry({ key: 'accessControlProfileLimit', env: 'GATEHOUSE_ACCESS_CONTROL_PROFILE_LIMIT', type: intType({ min: 1, max: 10000 }), default: 24, description: 'Most access-control profiles one partner may have, its default profile included (Kaltura\'s limit; `accessControlProfile.add` beyond it fails with `MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED`). A partner setting `accessControlProfileLimit` replaces it for that partner.' }),
  entry({ key: 'publicUrl', env: 'GATEHOUSE_PUBLIC_URL', type: httpBaseUrlType(), default: undefined, defaultText: 'unset: `http://{host}:{port}` of the listen address', description: 'The URL browsers reach this server at, as seen from outside (behind a proxy: the proxy\'s `https://` URL). Single sign-on builds its redirect URI from it, `{GATEHOUSE_PUBLIC_URL}/api/auth/sso/callback`, which each partner registers at its identity provider; with an `https` URL the sign-in cookie is also marked `Secure`.' }),
] as const satisfies readonly AnyEntry[];

// Compile-time guarantee that every config key has an entry.
type MissingKeys = Exclude<ConfigKey, (typeof CONFIG_SCHEMA)[number]['key']>;
const _everyKeyHasAnEntry: [MissingKeys] extends [never] ? true : MissingKeys = true;
void _everyKeyHasAnEntry;

/** The server's public base URL: GATEHOUSE_PUBLIC_URL, else its own listen address (IPv6 hosts bracketed). */
export function publicUrlOf(config: Pick<GatehouseConfig, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl !== undefined) return config.publicUrl;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

export const SCHEMA_BY_KEY: ReadonlyMap<string, AnyEntry> = new Map(CONFIG_SCHEMA.map((e) => [e.key, e as AnyEntry]));
