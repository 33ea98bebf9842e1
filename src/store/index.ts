/** Builds the repositories over one database (or one transaction of it). */
import type { Kysely } from 'kysely';
import type { SecretBox } from '../core/crypto/secret-box.js';
import type { Repos, UnitOfWork } from '../services/ports.js';
import type { Database } from './schema.js';
import { SqlApiKeyRepo } from './repos/api-keys.js';
import { SqlApiServiceRepo } from './repos/api-services.js';
import { SqlAppTokenRepo } from './repos/app-tokens.js';
import { SqlAuditRepo } from './repos/audit.js';
import { SqlConsumerRepo } from './repos/consumers.js';
import { SqlLoginDataRepo } from './repos/logins.js';
import { SqlLoginAttemptRepo } from './repos/login-attempts.js';
import { SqlAccessControlRepo } from './repos/access-control.js';
import { SqlEntryRepo } from './repos/entries.js';
import { SqlCategoryRepo } from './repos/categories.js';
import { SqlCategoryLinkRepo } from './repos/category-links.js';
import { SqlMembershipRepo } from './repos/category-members.js';
import { SqlMetadataProfileRepo, SqlMetadataRepo } from './repos/metadata.js';
import { SqlChangeFeed, SqlSystemStateRepo, SqlWidgetRepo } from './repos/misc.js';
import { SqlPartnerRepo } from './repos/partners.js';
import { SqlRoleRepo } from './repos/roles.js';
import { SqlSessionStateRepo } from './repos/sessions.js';
import { SqlSigningKeyRepo } from './repos/signing-keys.js';
import { SqlUserRepo } from './repos/users.js';
import { SqlTwoFactorRepo } from './repos/two-factor.js';

export { openStore, migrateToLatest, checkReady, type Store, type DialectName } from './db.js';
export { listenForChanges, type ChangeListener } from './notify.js';
export { isDatabaseUnavailable } from './pg-pool.js';

export function createRepos(db: Kysely<Database>, box: SecretBox): Repos {
  return {
    partners: new SqlPartnerRepo(db, box),
    logins: new SqlLoginDataRepo(db),
    loginAttempts: new SqlLoginAttemptRepo(db),
    users: new SqlUserRepo(db),
    roles: new SqlRoleRepo(db),
    widgets: new SqlWidgetRepo(db),
    accessControl: new SqlAccessControlRepo(db),
    audit: new SqlAuditRepo(db),
    sessions: new SqlSessionStateRepo(db),
    changes: new SqlChangeFeed(db),
    system: new SqlSystemStateRepo(db),
    appTokens: new SqlAppTokenRepo(db, box),
    entries: new SqlEntryRepo(db),
    metadataProfiles: new SqlMetadataProfileRepo(db),
    metadata: new SqlMetadataRepo(db),
    apiKeys: new SqlApiKeyRepo(db),
    apiServices: new SqlApiServiceRepo(db),
    signingKeys: new SqlSigningKeyRepo(db, box),
    consumers: new SqlConsumerRepo(db, box),
    categories: new SqlCategoryRepo(db),
    categoryLinks: new SqlCategoryLinkRepo(db),
    memberships: new SqlMembershipRepo(db),
    twoFactor: new SqlTwoFactorRepo(db, box),
  };
}

export function createUnitOfWork(db: Kysely<Database>, box: SecretBox): UnitOfWork {
  return {
    transaction: (fn) => db.transaction().execute((trx) => fn(createRepos(trx, box))),
  };
}
