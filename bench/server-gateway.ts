/**
 * The server under test for bench/gateway.ts: a real Gatehouse (as server-gatehouse.ts builds it)
 * that provisions its own bench partner through its doors (app.inject: operator login, partner
 * registration, access token, a service, a consumer with a group, an API key), then optionally
 * stores `seed=N` more API keys and N more consumers with one HS256 credential each, in bulk. It
 * writes the credentials the load generator sends — the provisioned pair first, then `pool=M` of
 * the seeded ones — to the JSON file `out=<path>`, then prints `{"port":N}` like every bench server.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Insertable } from 'kysely';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { apiKeyStart, hashApiKey, isWellFormedApiKey } from '../src/core/api-keys/format.js';
import { SecretBox } from '../src/core/crypto/secret-box.js';
import { createGatehouse } from '../src/gatehouse.js';
import { loadApiKeyPepper } from '../src/services/api-keys/pepper.js';
import { createRepos, openStore } from '../src/store/index.js';
import type { ApiKeysTable, ConsumerCredentialsTable, ConsumersTable } from '../src/store/schema.js';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD } from './provision.js';
import { serveUntilSignalled } from './serve-child.js';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const seed = Number(arg('seed') ?? 0);
const pool = Number(arg('pool') ?? 0);
const out = arg('out');
if (!out) throw new Error('server-gateway: out=<file> is required');

const GATEWAY_PREFIX = '/api/v1';
const ADMIN = { email: 'bench-gateway-admin@uni.test', password: 'correct-Horse-battery-9' };

const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-gateway-'));
const config = loadConfig({
  env: { GATEHOUSE_DATA_DIR: dir, GATEHOUSE_ADMIN_EMAIL: BENCH_ADMIN_EMAIL, GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'silent' },
});
const store = openStore({ sqlitePath: path.join(dir, 'gatehouse.sqlite') });
const masterKey = randomBytes(32);
const gh = await createGatehouse({ config, store, masterKey });

async function call<T>(url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}): Promise<T> {
  const res = await gh.app.inject({ method: 'POST', url, payload, headers });
  if (res.statusCode >= 300) throw new Error(`POST ${url} answered ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

// The same steps a partner admin takes, through the Kaltura, REST and consumer doors.
const operatorKs = await call<string>('/api_v3/service/user/action/loginByLoginId', { loginId: BENCH_ADMIN_EMAIL, password: BENCH_ADMIN_PASSWORD, partnerId: -2, format: 1 });
const partner = await call<{ id: number }>('/api_v3/service/partner/action/register', {
  ks: operatorKs,
  format: 1,
  partner: { objectType: 'KalturaPartner', name: 'Bench Gateway', adminName: 'Bench Admin', adminEmail: ADMIN.email, description: 'bench' },
  cmsPassword: ADMIN.password,
});
const partnerId = partner.id;
const token = (await call<{ data: { access_token: string } }>('/api/auth/access-token', { username: ADMIN.email, password: ADMIN.password, partnerId })).data.access_token;
const bearer = { authorization: `Bearer ${token}` };
await call('/api/services', { name: 'Bench API', routePrefix: GATEWAY_PREFIX, allowedGroups: ['bench'] }, bearer);
const consumer = (await call<{ result: { key: string; secret: string } }>('/v1/consumer/create', { request: { username: 'bench-app' } }, bearer)).result;
await call('/v1/consumer/bench-app/grant', { request: { groups: ['bench'] } }, bearer);
const apiKey = (await call<{ data: string }>('/api/auth/api-key', { validTo: new Date(Date.now() + 30 * 86400_000).toISOString() }, bearer)).data;

/** Sunbird's token: HS256 over `{"iss": key}` with the credential's secret. */
function sunbirdToken(key: string, secret: string): string {
  const input = `${Buffer.from('{"typ":"JWT","alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: key })).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/**
 * A key of the real shape from 43 random base62 digits: generateApiKey's exact base conversion
 * (BigInt) is the slow part of seeding 100,000 keys, and the bench needs the shape, not uniformity.
 */
function fastApiKey(): string {
  let body = '';
  for (const b of randomBytes(43)) body += BASE62[b % 62];
  const key = `gh_${body}`;
  if (!isWellFormedApiKey(key)) throw new Error('bench key has the wrong shape');
  return key;
}

const apiKeys = [apiKey];
const tokens = [sunbirdToken(consumer.key, consumer.secret)];
if (seed > 0) {
  const box = new SecretBox(masterKey);
  const pepper = await loadApiKeyPepper(createRepos(store.db, box).system, box);
  const now = Math.floor(Date.now() / 1000);
  // Multi-row inserts in the repositories' column formats (one statement per 500 rows: seeding
  // row by row through Kysely took most of a minute). The load generator's first pass sends every
  // pool credential through the real lookups, so a format that drifted from the repositories'
  // would fail the bench rather than flatter it.
  const BATCH = 500;
  for (let from = 0; from < seed; from += BATCH) {
    const keys: Insertable<ApiKeysTable>[] = [];
    const consumers: Insertable<ConsumersTable>[] = [];
    const credentials: Insertable<ConsumerCredentialsTable>[] = [];
    for (let i = from; i < Math.min(seed, from + BATCH); i++) {
      const key = fastApiKey();
      keys.push({ id: randomUUID(), partner_id: partnerId, hash: hashApiKey(pepper, key), start: apiKeyStart(key), valid_from: now - 60, valid_to: now + 30 * 86400, permissions: '[]', services: '[]', created_by: 'bench', created_at: now, revoked_at: null });
      const consumerId = randomUUID();
      consumers.push({ id: consumerId, partner_id: partnerId, username: `seeded-${i}`, groups: '["bench"]', created_at: now, updated_at: now });
      const id = randomUUID();
      const credKey = randomBytes(16).toString('hex');
      const secret = randomBytes(16).toString('hex');
      credentials.push({ id, partner_id: partnerId, consumer_id: consumerId, key: credKey, algorithm: 'HS256', secret_enc: box.seal(secret, `consumer_credential:${id}:secret`), public_key: null, created_at: now, deprecated_at: null, expires_at: null, replaced_by: null });
      if (i < pool) {
        apiKeys.push(key);
        tokens.push(sunbirdToken(credKey, secret));
      }
    }
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('api_keys').values(keys).execute();
      await trx.insertInto('consumers').values(consumers).execute();
      await trx.insertInto('consumer_credentials').values(credentials).execute();
    });
  }
}
writeFileSync(out, JSON.stringify({ partnerId, prefix: GATEWAY_PREFIX, apiKeys, tokens }));

await serveUntilSignalled(gh.app, async () => {
  await gh.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
