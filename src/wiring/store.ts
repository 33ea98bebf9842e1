/**
 * The store layer: the schema brought up to date, then the repositories and the unit of work over
 * the one database, with secrets sealed under the master key. The only wiring that sees SQL.
 */
import { SecretBox } from '../core/crypto/secret-box.js';
import type { Repos, UnitOfWork } from '../services/ports.js';
import { createRepos, createUnitOfWork, migrateToLatest, type Store } from '../store/index.js';

export interface StoreLayer {
  /** Seals partner secrets, app-token values and consumer secrets at rest (AES-256-GCM). */
  box: SecretBox;
  repos: Repos;
  uow: UnitOfWork;
}

export async function wireStore(store: Store, masterKey: Buffer): Promise<StoreLayer> {
  await migrateToLatest(store.db);
  const box = new SecretBox(masterKey);
  return { box, repos: createRepos(store.db, box), uow: createUnitOfWork(store.db, box) };
}
