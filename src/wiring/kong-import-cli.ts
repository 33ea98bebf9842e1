/**
 * `gatehouse import kong` on the server machine: the server's configuration, database and master
 * key, one import service over them (services/import), closed afterwards. No cache runs here, so
 * credential changes are published on the change feed for running servers to apply.
 */
import path from 'node:path';
import { CONSUMER_CREDENTIAL_TOPIC } from '../cache/consumer-credentials.js';
import { API_SERVICE_TOPIC } from '../services/api-services/api-service-manager.js';
import { resolveMasterKey } from '../config/master-key.js';
import { nowSeconds, systemClock } from '../core/clock.js';
import { SecretBox } from '../core/crypto/secret-box.js';
import type { ImportFile } from '../core/kong-import/index.js';
import { configOrExit } from '../main.js';
import { Auditor } from '../services/audit.js';
import { KongImport, type ImportSummary } from '../services/import/kong-import.js';

export type { ImportSummary };
import { createRepos, createUnitOfWork, migrateToLatest, openStore } from '../store/index.js';

export interface ServerSideImport {
  configFile: string | undefined;
  partnerId: number;
  dryRun: boolean;
  files: readonly ImportFile[];
  /** Notes for the operator (stderr). */
  warn(text: string): void;
}

/** The summary, or undefined when the partner does not exist. Throws ImportInputError for an unreadable file. */
export async function importKongServerSide(o: ServerSideImport): Promise<ImportSummary | undefined> {
  const config = configOrExit(o.configFile ? { configFile: o.configFile } : undefined);
  const master = resolveMasterKey(config.masterKey, config.dataDir);
  if (master.source === 'generated') o.warn(`no master key was configured; generated ${master.file} (servers must use the same one to open imported secrets)`);
  const store = openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'gatehouse.sqlite') });
  try {
    // As the server does on start: the import writes the current schema.
    await migrateToLatest(store.db);
    const box = new SecretBox(master.key);
    const repos = createRepos(store.db, box);
    if (!(await repos.partners.get(o.partnerId))) return undefined;
    const audit = new Auditor(repos.audit, systemClock, (e) => o.warn(`audit write failed: ${(e as Error).message}`));
    const importer = new KongImport({
      uow: createUnitOfWork(store.db, box),
      consumers: repos.consumers,
      services: repos.apiServices,
      routes: { changed: (partnerId) => repos.changes.publish(API_SERVICE_TOPIC, String(partnerId), nowSeconds(systemClock)) },
      credentials: {
        changed: async (keys) => {
          for (const k of keys) await repos.changes.publish(CONSUMER_CREDENTIAL_TOPIC, k, nowSeconds(systemClock));
        },
      },
      audit,
      clock: systemClock,
    });
    const summary = await importer.run({ partnerId: o.partnerId, actor: 'cli:import', clientIp: '', dryRun: o.dryRun, files: o.files });
    await audit.flush();
    return summary;
  } finally {
    await store.close();
  }
}
