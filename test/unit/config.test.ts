import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA, ConfigError, configForLog, describeConfig, devDefaultsInUse, loadConfig, maskUrlPassword } from '../../src/config/index.js';

const cwd = '/srv/gatehouse';
const load = (env: NodeJS.ProcessEnv = {}, flags: Record<string, unknown> = {}) => loadConfig({ env, flags, cwd });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const tempDirs: string[] = [];
function configFile(content: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-config-'));
  tempDirs.push(dir);
  const file = path.join(dir, 'gatehouse.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig defaults', () => {
  it('gives every documented default', () => {
    expect(load()).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/srv/gatehouse/data',
      databaseUrl: undefined,
      masterKey: undefined,
      adminEmail: 'admin@gatehouse.local',
      adminPassword: undefined,
      openRegistration: false,
      trustedProxies: [],
      logLevel: 'info',
      bodyLimit: 1024 * 1024,
      shutdownGraceMs: 10_000,
      configFile: undefined,
      apiKeyInQuery: true,
      apiKeyMaxValidity: 365 * 86400,
      jwtTtl: 900,
      jwtKeyRotation: 30 * 86400,
      jwtIssuer: 'urn:gatehouse',
      loginThrottle: 30,
      loginCeiling: 50,
      gatewayRateLimit: 0,
      consumerJwtMaxLifetime: 0,
      geoipDb: undefined,
      deliveryOrigin: undefined,
      deliveryTokenTtl: 60,
      accessControlProfileLimit: 24,
      publicUrl: undefined,
    });
  });

  it('treats empty environment variables as unset', () => {
    expect(load({ GATEHOUSE_PORT: '', GATEHOUSE_DATABASE_URL: '' })).toMatchObject({ port: 8080, databaseUrl: undefined });
  });

  it('is deeply frozen', () => {
    const cfg = load({ GATEHOUSE_TRUSTED_PROXIES: '10.0.0.0/8' });
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.trustedProxies)).toBe(true);
    expect(() => {
      (cfg as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (cfg.trustedProxies as string[]).push('1.2.3.4/32')).toThrow(TypeError);
  });
});

describe('loadConfig parsing', () => {
  it('reads every type from the environment', () => {
    const cfg = load({
      GATEHOUSE_HOST: '0.0.0.0',
      GATEHOUSE_PORT: '9000',
      GATEHOUSE_DATA_DIR: 'var/gh',
      GATEHOUSE_DATABASE_URL: 'postgresql://gh:pw@db:5432/gatehouse',
      GATEHOUSE_MASTER_KEY: 'k'.repeat(44),
      GATEHOUSE_ADMIN_EMAIL: 'ops@example.com',
      GATEHOUSE_ADMIN_PASSWORD: 'correct horse',
      GATEHOUSE_OPEN_REGISTRATION: 'YES',
      GATEHOUSE_TRUSTED_PROXIES: ' 10.1.2.3/8, 192.168.0.7 ,::1,2001:db8::/32,10.0.0.0/8',
      GATEHOUSE_LOG_LEVEL: 'DEBUG',
      GATEHOUSE_BODY_LIMIT: '2048',
      GATEHOUSE_SHUTDOWN_GRACE_MS: '0',
    });
    expect(cfg).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/srv/gatehouse/var/gh',
      databaseUrl: 'postgresql://gh:pw@db:5432/gatehouse',
      masterKey: 'k'.repeat(44),
      adminEmail: 'ops@example.com',
      adminPassword: 'correct horse',
      openRegistration: true,
      trustedProxies: ['10.0.0.0/8', '192.168.0.7/32', '::1/128', '2001:db8::/32'],
      logLevel: 'debug',
      bodyLimit: 2048,
      shutdownGraceMs: 0,
    });
  });

  it.each([
    ['true', true], ['1', true], ['yes', true], ['false', false], ['0', false], ['no', false],
  ])('reads bool %s', (raw, expected) => {
    expect(load({ GATEHOUSE_OPEN_REGISTRATION: raw }).openRegistration).toBe(expected);
  });
});

describe('precedence: defaults < file < env < flags', () => {
  it('layers the sources', () => {
    const file = configFile({ port: 7000, host: '10.0.0.1', logLevel: 'warn', trustedProxies: ['10.0.0.0/8'], dataDir: 'state' });
    const cfg = load({ GATEHOUSE_CONFIG_FILE: file, GATEHOUSE_PORT: '7100', GATEHOUSE_LOG_LEVEL: 'error' }, { logLevel: 'trace' });
    expect(cfg.host).toBe('10.0.0.1'); // file over default
    expect(cfg.port).toBe(7100); // env over file
    expect(cfg.logLevel).toBe('trace'); // flag over env
    expect(cfg.trustedProxies).toEqual(['10.0.0.0/8']);
    expect(cfg.dataDir).toBe(path.join(path.dirname(file), 'state')); // relative to the file
    expect(cfg.configFile).toBe(file);
  });

  it('takes the config file from a flag, and ignores undefined flags', () => {
    const file = configFile({ openRegistration: true });
    expect(load({}, { configFile: file, port: undefined })).toMatchObject({ openRegistration: true, port: 8080 });
  });

  it('rejects unknown keys in the file, naming them', () => {
    const file = configFile({ prot: 9000 });
    const err = configError(() => load({ GATEHOUSE_CONFIG_FILE: file }));
    expect(err.message).toContain('"prot"');
    expect(err.variable).toBe('GATEHOUSE_CONFIG_FILE');
  });

  it('rejects malformed and missing files and a file naming another file', () => {
    expect(configError(() => load({ GATEHOUSE_CONFIG_FILE: configFile('{port:') })).message).toMatch(/not valid JSON/);
    expect(configError(() => load({ GATEHOUSE_CONFIG_FILE: configFile([1]) })).message).toMatch(/JSON object/);
    expect(configError(() => load({ GATEHOUSE_CONFIG_FILE: '/nonexistent/gatehouse.json' })).message).toMatch(/cannot be read/);
    expect(configError(() => load({ GATEHOUSE_CONFIG_FILE: configFile({ configFile: 'x.json' }) })).message).toMatch(/cannot name another/);
  });

  it('validates file values and names the variable and the key', () => {
    const file = configFile({ port: 'eighty' });
    const err = configError(() => load({ GATEHOUSE_CONFIG_FILE: file }));
    expect(err.message).toContain('GATEHOUSE_PORT');
    expect(err.message).toContain('"eighty"');
    expect(err.message).toContain(`key "port" of ${file}`);
    expect(err.source).toBe('file');
  });

  it('rejects unknown flags', () => {
    expect(configError(() => load({}, { verbose: true })).message).toContain('"verbose"');
  });
});

describe('bad values name their variable, the value and what is expected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['GATEHOUSE_PORT', '0', /1 to 65535/],
    ['GATEHOUSE_PORT', '65536', /1 to 65535/],
    ['GATEHOUSE_PORT', '80x', /1 to 65535/],
    ['GATEHOUSE_DATABASE_URL', 'mysql://db/gh', /postgres:\/\/ or postgresql:\/\//],
    ['GATEHOUSE_DATABASE_URL', 'not a url', /postgres/],
    ['GATEHOUSE_ADMIN_EMAIL', 'admin', /email address/],
    ['GATEHOUSE_OPEN_REGISTRATION', 'maybe', /true, false, 1, 0, yes, no/],
    ['GATEHOUSE_TRUSTED_PROXIES', '10.0.0.0/8,10.0.0.300', /IPv4\/IPv6/],
    ['GATEHOUSE_TRUSTED_PROXIES', '10', /IPv4\/IPv6/],
    ['GATEHOUSE_TRUSTED_PROXIES', '10.0.0.0/33', /IPv4\/IPv6/],
    ['GATEHOUSE_LOG_LEVEL', 'verbose', /fatal, error, warn, info, debug, trace, silent/],
    ['GATEHOUSE_BODY_LIMIT', '10', /1024 to 104857600/],
    ['GATEHOUSE_BODY_LIMIT', '1.5', /1024 to 104857600/],
    ['GATEHOUSE_SHUTDOWN_GRACE_MS', '-1', /0 to 300000/],
  ];
  it.each(cases)('%s=%s', (variable, raw, expected) => {
    const err = configError(() => load({ [variable]: raw }));
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
    expect(err.message).toContain(JSON.stringify(raw));
    expect(err.message).toMatch(expected);
  });

  it('rejects an empty host given as a flag', () => {
    expect(configError(() => load({}, { host: '' })).message).toMatch(/GATEHOUSE_HOST = "" from flag "host": expected a non-empty string/);
  });

  it('masks the password of a rejected database URL', () => {
    const err = configError(() => load({ GATEHOUSE_DATABASE_URL: 'mysql://gh:hunter2@db/gh' }));
    expect(err.message).not.toContain('hunter2');
    expect(err.message).toContain('mysql://gh:***@db/gh');
  });

  it.each([
    ['postgres://u:p@ss@host/db', 'postgres://u:***@host/db'],
    ['postgres://u@host:5432/db?sslmode=require&password=pw', 'postgres://u@host:5432/db?sslmode=require&password=***'],
    ['postgres://host:5432/db', 'postgres://host:5432/db'],
  ])('maskUrlPassword(%s)', (url, masked) => {
    expect(maskUrlPassword(url)).toBe(masked);
  });

  it('never echoes a secret value', () => {
    const masterKey = 'short-master-key-value';
    const adminPassword = 'pw12';
    for (const [variable, raw] of [['GATEHOUSE_MASTER_KEY', masterKey], ['GATEHOUSE_ADMIN_PASSWORD', adminPassword]] as const) {
      const err = configError(() => load({ [variable]: raw }));
      expect(err.message).toContain(variable);
      expect(err.message).toContain('secret');
      expect(err.message).not.toContain(raw);
    }
    const file = configFile({ masterKey: 12345678901234 });
    expect(configError(() => load({ GATEHOUSE_CONFIG_FILE: file })).message).not.toContain('12345678901234');
  });
});

describe('warnings, docs and log view', () => {
  it('warns about generated master key and admin password', () => {
    const warnings = devDefaultsInUse(load());
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/GATEHOUSE_MASTER_KEY/);
    expect(warnings.join('\n')).toMatch(/GATEHOUSE_ADMIN_PASSWORD/);
    expect(devDefaultsInUse(load({ GATEHOUSE_MASTER_KEY: 'm'.repeat(32), GATEHOUSE_ADMIN_PASSWORD: 'a-long-password' }))).toEqual([]);
  });

  it('describes every entry', () => {
    const docs = describeConfig();
    expect(docs.map((d) => d.env)).toEqual(CONFIG_SCHEMA.map((e) => e.env));
    expect(new Set(docs.map((d) => d.env)).size).toBe(docs.length);
    for (const d of docs) {
      expect(d.env).toMatch(/^GATEHOUSE_[A-Z_]+$/);
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.default).not.toBe('');
    }
  });

  it('hides secrets and the database password from the log view', () => {
    const cfg = load({ GATEHOUSE_MASTER_KEY: 'm'.repeat(32), GATEHOUSE_DATABASE_URL: 'postgres://gh:hunter2@db/gh' });
    const text = JSON.stringify(configForLog(cfg));
    expect(text).not.toContain('m'.repeat(32));
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[redacted]');
  });
});
