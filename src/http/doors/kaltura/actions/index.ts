import '../classes/index.js';
import { ActionRegistry } from '../registry.js';
import type { KalturaServices } from './deps.js';
import { absentFeatureActions } from './absent-features.js';
import { accessControlActions } from './access-control.js';
import { accessControlProfileActions } from './access-control-profile.js';
import { appTokenActions } from './app-token.js';
import { categoryActions } from './category.js';
import { categoryEntryActions } from './category-entry.js';
import { categoryUserActions } from './category-user.js';
import { entryActions } from './entry.js';
import { esearchActions } from './esearch.js';
import { esearchEntryAction } from './esearch-entry.js';
import { metadataActions, metadataProfileActions } from './metadata.js';
import { partnerActions } from './partner.js';
import { sessionActions } from './session.js';
import { roleActions } from './user-role.js';
import { userActions } from './user.js';
import { userLoginActions } from './user-login.js';
import { adminUserActions } from './admin-user.js';
import { ssoActions } from './sso.js';

export type { KalturaServices } from './deps.js';

/** Every action of the Kaltura door. Later issues add their services here. */
export function buildRegistry(s: KalturaServices): ActionRegistry {
  // Each action module gets exactly the services it calls.
  return new ActionRegistry()
    .add(sessionActions({ sessions: s.sessions }))
    .add(userActions({ logins: s.logins, users: s.users, roles: s.roles }))
    .add(userLoginActions({ loginData: s.loginData }))
    .add(adminUserActions({ loginData: s.loginData }))
    .add(roleActions({ roles: s.roles }))
    .add(partnerActions({ partners: s.partners }))
    .add(appTokenActions({ appTokens: s.appTokens }))
    .add(accessControlProfileActions({ accessControl: s.accessControl }))
    .add(accessControlActions({ accessControl: s.accessControl }))
    .add(entryActions({ entries: s.entries, contextData: s.contextData }))
    .add(metadataProfileActions({ metadata: s.metadata }))
    .add(metadataActions({ metadata: s.metadata }))
    .add(categoryActions({ categories: s.categories }))
    .add(categoryEntryActions({ categoryEntries: s.categoryEntries }))
    .add(categoryUserActions({ categoryUsers: s.categoryUsers }))
    .add(ssoActions({ sso: s.sso }))
    .add(esearchActions({ users: s.users, roles: s.roles }))
    .add([esearchEntryAction({ entries: s.entries })])
    .add(absentFeatureActions({ entries: s.entries }));
}
