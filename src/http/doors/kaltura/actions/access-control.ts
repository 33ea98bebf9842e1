/**
 * accessControl.* — the legacy name of accessControlProfile (protocol §5.1), the one kmc-ng uses:
 * the same profiles, the same permissions and errors, spoken as KalturaAccessControl with
 * restrictions instead of rules (access/legacy-restrictions.ts).
 */
import type { AccessControlProfileInput } from '../../../../services/access-control/access-control-service.js';
import type { AccessControlProfileRecord } from '../../../../services/model.js';
import { restrictionsFromRules, rulesFromRestrictions } from '../access/legacy-restrictions.js';
import type { ActionDef } from '../registry.js';
import { kobj, type KObject } from '../wire/types.js';
import { profileActions } from './access-control-profile.js';
import type { KalturaServices } from './deps.js';

export function toKalturaAccessControl(p: AccessControlProfileRecord): KObject {
  const { restrictions, unsupported } = restrictionsFromRules(p.rules);
  return kobj('KalturaAccessControl', {
    id: p.id,
    partnerId: p.partnerId,
    name: p.name,
    systemName: p.systemName,
    description: p.description,
    createdAt: p.createdAt,
    isDefault: p.isDefault,
    restrictions,
    containsUnsuportedRestrictions: unsupported,
  });
}

function legacyInput(o: KObject): AccessControlProfileInput {
  const v = <T>(k: string) => o[k] as T | null | undefined;
  return {
    name: v('name'),
    systemName: v('systemName'),
    description: v('description'),
    isDefault: o.isDefault === undefined || o.isDefault === null ? undefined : o.isDefault === 1,
    // Restrictions sent (even none) replace the whole rule list, as on the real server.
    rules: Array.isArray(o.restrictions) ? rulesFromRestrictions(o.restrictions as KObject[]) : undefined,
  };
}

export function accessControlActions(s: Pick<KalturaServices, 'accessControl'>): ActionDef[] {
  return profileActions(s, {
    service: 'accesscontrol',
    param: 'accessControl',
    objectClass: 'KalturaAccessControl',
    filterClass: 'KalturaAccessControlFilter',
    listClass: 'KalturaAccessControlListResponse',
    toKaltura: toKalturaAccessControl,
    input: legacyInput,
  });
}
