/**
 * `/api/users`: the partner's users — the same records and rules as the Kaltura door's `user`
 * service — guarded by Kala's "User Management" (ADMIN_BASE to read, ADMIN_USER_ADD / _UPDATE /
 * _DELETE to write), held through a user's role or by an API key.
 */
import { Type, type Static } from 'typebox';
import { UserStatus, type User } from '../../../../services/model.js';
import type { UserFilter } from '../../../../services/ports.js';
import type { UserInput } from '../../../../services/users/user-service.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, IdParams, iso, isoOrNull, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';

const Status = Type.Union([Type.Literal('active'), Type.Literal('blocked')]);
const Text = (max: number) => Type.String({ maxLength: max });

const UserSchema = Type.Object({
  id: Type.String(),
  partnerId: Type.Integer(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  screenName: Type.String(),
  status: Status,
  isAdmin: Type.Boolean(),
  isAccountOwner: Type.Boolean(),
  roleId: Nullable(Type.Integer()),
  loginEnabled: Type.Boolean(),
  externalId: Nullable(Type.String()),
  isSsoExcluded: Type.Boolean({ description: "Signs in with a password even when the partner's blockDirectLogin sends everyone else through single sign-on." }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lastLoginAt: Nullable(Timestamp),
});

const editable = {
  email: Type.Optional(Text(320)),
  firstName: Type.Optional(Text(128)),
  lastName: Type.Optional(Text(128)),
  screenName: Type.Optional(Text(256)),
  status: Type.Optional(Status),
  isAdmin: Type.Optional(Type.Boolean({ description: 'Admins can sign in; only a caller holding every permission may make one.' })),
  isSsoExcluded: Type.Optional(Type.Boolean({ description: "Exempt from the partner's blockDirectLogin (Kaltura's KalturaUser.isSsoExcluded)." })),
  roleId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647, description: "A role of the partner (or a global one); null removes it. Only roles whose permissions you hold." }))),
};

const CreateBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 320, description: "The partner's user id." }),
    ...editable,
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Gives the user a login (with `email` as login id).' })),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(editable, { additionalProperties: false });

const ListQuery = Type.Object({
  ...PageQuery.properties,
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'Id or screen name starts with.' })),
  status: Type.Optional(Status),
});

const One = Type.Object({ data: UserSchema });

function toWire(u: User): Static<typeof UserSchema> {
  return {
    id: u.id,
    partnerId: u.partnerId,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    screenName: u.screenName,
    status: u.status === UserStatus.ACTIVE ? 'active' : 'blocked',
    isAdmin: u.isAdmin,
    isAccountOwner: u.isAccountOwner,
    roleId: u.roleIds ? Number(u.roleIds.split(',')[0]) : null,
    loginEnabled: u.loginDataId !== null,
    externalId: u.externalId,
    isSsoExcluded: u.data.isSsoExcluded === true,
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
    lastLoginAt: isoOrNull(u.lastLoginAt),
  };
}

function toInput(b: Static<typeof UpdateBody> & { id?: string; password?: string }): UserInput {
  const input: UserInput = {};
  if (b.id !== undefined) input.id = b.id;
  if (b.password !== undefined) input.password = b.password;
  if (b.email !== undefined) input.email = b.email;
  if (b.firstName !== undefined) input.firstName = b.firstName;
  if (b.lastName !== undefined) input.lastName = b.lastName;
  if (b.screenName !== undefined) input.screenName = b.screenName;
  if (b.status !== undefined) input.status = b.status === 'active' ? UserStatus.ACTIVE : UserStatus.BLOCKED;
  if (b.isAdmin !== undefined) input.isAdmin = b.isAdmin;
  if (b.roleId !== undefined) input.roleIds = b.roleId === null ? '' : String(b.roleId);
  if (b.isSsoExcluded !== undefined) input.data = { isSsoExcluded: b.isSsoExcluded };
  return input;
}

/** What these routes use (handed over by the plugin, nothing more). */
type UserRouteDeps = Pick<RouteDeps, 'guard' | 'users'>;

export function userRoutes(scope: RestScope, d: UserRouteDeps): void {
  const common = { tags: ['users'], security: ANY_CREDENTIAL };

  scope.get(
    '/users',
    {
      onRequest: guard(d.guard, { permissions: ['ADMIN_BASE'] }),
      schema: { ...common, summary: "List the partner's users", querystring: ListQuery, response: { 200: ListOf(UserSchema), ...problems(400, 401, 403) } },
    },
    async (req) => {
      const filter: UserFilter = {};
      if (req.query.search) filter.idOrScreenNameStartsWith = req.query.search;
      if (req.query.status) filter.statusEqual = req.query.status === 'active' ? UserStatus.ACTIVE : UserStatus.BLOCKED;
      const page = pageOf(req.query);
      return listAnswer(await d.users.list(callerOf(req).principal, filter, page), page, toWire);
    },
  );

  scope.get(
    '/users/:id',
    {
      onRequest: guard(d.guard, { permissions: ['ADMIN_BASE'] }),
      schema: { ...common, summary: 'Read one user', params: IdParams, response: { 200: One, ...problems(400, 401, 403, 404) } },
    },
    async (req) => ({ data: toWire(await d.users.get(callerOf(req).principal, req.params.id)) }),
  );

  scope.post(
    '/users',
    {
      onRequest: guard(d.guard, { permissions: ['ADMIN_USER_ADD'] }),
      schema: { ...common, summary: 'Create a user', body: CreateBody, response: { 201: One, ...problems(400, 401, 403, 404, 409) } },
    },
    async (req, reply) => {
      const user = await d.users.add(callerOf(req).principal, toInput(req.body), metaOf(req));
      reply.code(201);
      return { data: toWire(user) };
    },
  );

  scope.patch(
    '/users/:id',
    {
      onRequest: guard(d.guard, { permissions: ['ADMIN_USER_UPDATE'] }),
      schema: { ...common, summary: 'Change a user', params: IdParams, body: UpdateBody, response: { 200: One, ...problems(400, 401, 403, 404, 409) } },
    },
    async (req) => ({ data: toWire(await d.users.update(callerOf(req).principal, req.params.id, toInput(req.body), metaOf(req))) }),
  );

  scope.post(
    '/users/:id/password',
    {
      onRequest: guard(d.guard, { permissions: ['ADMIN_USER_UPDATE'] }),
      schema: {
        ...common,
        summary: "Set a new password for the user's login and clear its lockout",
        description: 'Refused (403) when the login is also used in other partners, and (409) when the user has no login.',
        params: IdParams,
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'Set.' }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await d.users.setPassword(callerOf(req).principal, req.params.id, req.body.password, metaOf(req));
      return reply.code(204).send(null);
    },
  );

  scope.delete(
    '/users/:id',
    {
      onRequest: guard(d.guard, { permissions: ['ADMIN_USER_DELETE'] }),
      schema: { ...common, summary: 'Delete a user', params: IdParams, response: { 204: Type.Null({ description: 'Deleted.' }), ...problems(400, 401, 403, 404) } },
    },
    async (req, reply) => {
      await d.users.delete(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
