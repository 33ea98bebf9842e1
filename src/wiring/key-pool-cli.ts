/**
 * `gatehouse consumer key-pool …` on the server machine: the server's configuration, database and
 * master key (pool private keys are sealed exactly as the server seals them), one KeyPool over
 * them, closed afterwards. No cache runs here: key changes go out on the change feed, which every
 * running server applies within one cache-sync interval.
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import { CONSUMER_CREDENTIAL_TOPIC } from '../cache/consumer-credentials.js';
import { resolveMasterKey } from '../config/master-key.js';
import { nowSeconds, systemClock, type Clock } from '../core/clock.js';
import { SecretBox } from '../core/crypto/secret-box.js';
import { configOrExit } from '../main.js';
import { Auditor } from '../services/audit.js';
import { KeyPool, type PoolKeyInfo } from '../services/consumers/key-pool.js';

export type { KeyPool, PoolKeyInfo };
import { createRepos, migrateToLatest, openStore } from '../store/index.js';
import type { Database } from '../store/schema.js';

/** A KeyPool over a database, publishing its changes on the feed (also what tests use). */
export function keyPoolOn(db: Kysely<Database>, box: SecretBox, clock: Clock, warn: (text: string) => void): { pool: KeyPool; audit: Auditor } {
  const repos = createRepos(db, box);
  const audit = new Auditor(repos.audit, clock, (e) => warn(`audit write failed: ${(e as Error).message}`));
  const credentials = {
    changed: async (keys: readonly string[]) => {
      for (const k of keys) await repos.changes.publish(CONSUMER_CREDENTIAL_TOPIC, k, nowSeconds(clock));
    },
  };
  return { pool: new KeyPool({ consumers: repos.consumers, credentials, audit, clock, actor: 'cli:key-pool' }), audit };
}

/** Runs `fn` with a KeyPool on the configured database; undefined when the partner does not exist. */
export async function withKeyPoolServerSide<T>(o: { configFile: string | undefined; partnerId: number; warn(text: string): void }, fn: (pool: KeyPool) => Promise<T>): Promise<T | undefined> {
  const config = configOrExit(o.configFile ? { configFile: o.configFile } : undefined);
  const master = resolveMasterKey(config.masterKey, config.dataDir);
  if (master.source === 'generated') o.warn(`no master key was configured; generated ${master.file} (servers must use the same one to sign with these keys)`);
  const store = openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'gatehouse.sqlite') });
  try {
    await migrateToLatest(store.db);
    const box = new SecretBox(master.key);
    if (!(await createRepos(store.db, box).partners.get(o.partnerId))) return undefined;
    const { pool, audit } = keyPoolOn(store.db, box, systemClock, o.warn);
    const out = await fn(pool);
    await audit.flush();
    return out;
  } finally {
    await store.close();
  }
}
