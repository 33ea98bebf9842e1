/** What every new partner gets: copies of the template partner's roles and access-control profiles, and a default widget. */
import { SystemPartner } from '../model.js';
import type { Repos } from '../ports.js';

/** Returns the id of the partner's default access-control profile (copied from the template). */
export async function copyTemplate(r: Repos, partnerId: number, templateId: number, now: number): Promise<number | null> {
  const roles = await r.roles.list([templateId], {}, { pageSize: 500, pageIndex: 1 });
  for (const role of roles.objects) {
    await r.roles.insert({ ...role, partnerId, createdAt: now, updatedAt: now });
  }
  let defaultId: number | null = null;
  for (const acp of await r.accessControl.listByPartner(templateId)) {
    const copy = await r.accessControl.insert({ ...acp, partnerId, createdAt: now, updatedAt: now });
    if (acp.isDefault) defaultId = copy.id;
  }
  await r.widgets.insert({ id: `_${partnerId}`, partnerId, roleId: null, privileges: '', entryId: null, createdAt: now });
  return defaultId;
}

export const DEFAULT_TEMPLATE = SystemPartner.TEMPLATE;
