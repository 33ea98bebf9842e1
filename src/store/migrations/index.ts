/** The ordered, static list of migrations (no filesystem scanning, so bundles and dist work alike). */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-app-tokens.js';
import * as m0003 from './0003-access-control.js';
import * as m0004 from './0004-rest-auth.js';
import * as m0005 from './0005-consumers.js';
import * as m0006 from './0006-login-attempts.js';
import * as m0007 from './0007-categories.js';
import * as m0008 from './0008-password-history.js';
import * as m0009 from './0009-two-factor.js';
import * as m0010 from './0010-single-sign-on.js';
import * as m0011 from './0011-service-access.js';
import * as m0012 from './0012-device-registration.js';
import * as m0013 from './0013-rate-counters.js';
import * as m0014 from './0014-provider-mfa.js';
import * as m0016 from './0016-kmc-role-tags.js';

const all: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-app-tokens': m0002,
  '0003-access-control': m0003,
  '0004-rest-auth': m0004,
  '0005-consumers': m0005,
  '0006-login-attempts': m0006,
  '0007-categories': m0007,
  '0008-password-history': m0008,
  '0009-two-factor': m0009,
  '0010-single-sign-on': m0010,
  '0011-service-access': m0011,
  '0012-device-registration': m0012,
  '0013-rate-counters': m0013,
  '0014-provider-mfa': m0014,
  '0016-kmc-role-tags': m0016,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => all,
};

export const LATEST_MIGRATION = '0016-kmc-role-tags';
