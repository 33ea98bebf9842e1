/**
 * The store layer: the schema brought up to date, then the repositories and the unit of work over
 * the one database, with secrets sealed under the master key. The only wiring that sees SQL.
 */
import { SecretBox } from '../core/crypto/secret-box.js';
import type { Repos, UnitOfWork } from '../services/ports.js';
import type { IdentityProviderRepo, SsoTicketRepo } from '../services/sso/model.js';
import { createRepos, createUnitOfWork, migrateToLatest, type Store } from '../store/index.js';
import { SqlIdentityProviderRepo } from '../store/repos/identity-providers.js';
import { SqlSsoTicketRepo } from '../store/repos/sso-tickets.js';
import { SqlRateCounters } from '../store/repos/rate-counters.js';
import type { SharedCounters } from '../cache/window-counters.js';

export interface StoreLayer {
  /** Seals partner secrets, app-token values and consumer secrets at rest (AES-256-GCM). */
  box: SecretBox;
  repos: Repos;
  uow: UnitOfWork;
  /** Single sign-on's identity providers and sign-in tickets (services/sso). */
  sso: { providers: IdentityProviderRepo; tickets: SsoTicketRepo };
  /** Services' rate-limit counters shared by the nodes: PostgreSQL only (SQLite counts per node). */
  rateCounters: SharedCounters | undefined;
}

export async function wireStore(store: Store, masterKey: Buffer): Promise<StoreLayer> {
  await migrateToLatest(store.db);
  const box = new SecretBox(masterKey);
  const sso = { providers: new SqlIdentityProviderRepo(store.db, box), tickets: new SqlSsoTicketRepo(store.db, box) };
  const rateCounters = store.dialect === 'postgres' ? new SqlRateCounters(store.db) : undefined;
  return { box, repos: createRepos(store.db, box), uow: createUnitOfWork(store.db, box), sso, rateCounters };
}
