import '../classes/index.js';
import { ActionRegistry } from '../registry.js';
import type { KalturaServices } from './deps.js';
import { accessControlProfileActions } from './access-control-profile.js';
import { appTokenActions } from './app-token.js';
import { entryActions } from './entry.js';
import { metadataActions, metadataProfileActions } from './metadata.js';
import { partnerActions } from './partner.js';
import { sessionActions } from './session.js';
import { roleActions } from './user-role.js';
import { userActions } from './user.js';

export type { KalturaServices } from './deps.js';

/** Every action of the Kaltura door. Later issues add their services here. */
export function buildRegistry(s: KalturaServices): ActionRegistry {
  return new ActionRegistry()
    .add(sessionActions(s))
    .add(userActions(s))
    .add(roleActions(s))
    .add(partnerActions(s))
    .add(appTokenActions(s))
    .add(accessControlProfileActions(s))
    .add(entryActions(s))
    .add(metadataProfileActions(s))
    .add(metadataActions(s));
}
