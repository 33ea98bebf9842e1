/** `GET /api/permissions`: our permission catalogue plus Kala's two UUID permissions mapped onto it. */
import { Type } from 'typebox';
import { KALA_PERMISSIONS, PERMISSIONS } from '../../../../core/permissions/catalogue.js';
import type { RestScope } from '../deps.js';

const Permission = Type.Object({
  id: Type.String({ description: 'What to send in `permissions[]`: our name, or a Kala UUID.' }),
  name: Type.String(),
  description: Type.String(),
  includes: Type.Array(Type.String(), { description: 'The permission names this one grants.' }),
});

// Computed once: the catalogue is static.
const CATALOGUE = {
  data: [
    // Partner features (type 2, such as FEATURE_ENTITLEMENT) are the account's, not a role's to grant.
    ...PERMISSIONS.filter((p) => p.type === 1).map((p) => ({ id: p.name, name: p.friendlyName, description: p.description, includes: [p.name] })),
    ...KALA_PERMISSIONS.map((k) => ({ id: k.id, name: k.name, description: k.description, includes: [...k.includes] })),
  ],
};

export function permissionRoutes(scope: RestScope): void {
  scope.get(
    '/permissions',
    {
      schema: {
        tags: ['permissions'],
        summary: 'The permission catalogue (public)',
        response: { 200: Type.Object({ data: Type.Array(Permission) }) },
      },
    },
    async () => CATALOGUE,
  );
}
