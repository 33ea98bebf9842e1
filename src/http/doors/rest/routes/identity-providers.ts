/**
 * `/api/identity-providers`: a partner's OpenID Connect providers for single sign-on, guarded by
 * SSO_MANAGE. The client secret is write-only: no answer carries it (the response schema has no
 * field for it). Each answer says the redirect URI to register at the provider.
 */
import { Type, type Static } from 'typebox';
import type { IdentityProvider } from '../../../../services/sso/model.js';
import type { IdentityProviderAdmin, IdentityProviderInput } from '../../../../services/sso/identity-providers.js';
import type { SsoSignIn } from '../../../../services/sso/sign-in.js';
import { callerOf, guard, metaOf, type GuardDeps } from '../guard.js';
import type { RestScope } from '../deps.js';
import { ANY_CREDENTIAL, iso, Nullable, problems, Timestamp } from '../schemas.js';

const Text = (min: number, max: number, description?: string) => Type.String({ minLength: min, maxLength: max, ...(description ? { description } : {}) });

const TRUST_MFA =
  "Whether the provider's own multi-factor sign-in stands in for Gatehouse's two-factor code: when true and the ID token asserts MFA (amr containing mfa or otp, or a multi-factor acr), no code is asked after it. Default false: a login that set up codes, or whose partner's twoFactor setting requires them, is asked for its code after the provider too.";

const ProviderSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  emailDomains: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  createUsers: Type.Boolean(),
  roleId: Nullable(Type.Integer()),
  trustProviderMfa: Type.Boolean({ description: TRUST_MFA }),
  tokenEndpointAuthMethod: Type.String({ description: 'How Gatehouse authenticates at the token endpoint, chosen from the discovery document (client_secret_basic first).' }),
  redirectUri: Type.String({ description: 'Register this redirect URI at the provider.' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const fields = {
  name: Text(1, 128, 'Shown on the sign-in button: "Sign in with {name}".'),
  issuer: Text(1, 512, 'The issuer identifier; its /.well-known/openid-configuration is read and checked on save. https only (http on loopback addresses).'),
  clientId: Text(1, 512),
  clientSecret: Text(1, 1024, 'Write-only; sealed at rest.'),
  emailDomains: Type.Array(Text(1, 253), { minItems: 1, maxItems: 50, description: 'E-mail domains whose users sign in here. A domain belongs to at most one enabled provider of the partner.' }),
  scopes: Type.Array(Text(1, 64), { maxItems: 20, description: 'Default openid, email, profile; openid and email are always asked.' }),
  enabled: Type.Boolean(),
  createUsers: Type.Boolean({ description: 'A verified e-mail with no user here creates one (an admin with roleId); default false: nothing is created.' }),
  roleId: Nullable(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The role of created users; only a role whose permissions you hold.' })),
  trustProviderMfa: Type.Boolean({ description: TRUST_MFA }),
};

const CreateBody = Type.Object(
  {
    name: fields.name,
    issuer: fields.issuer,
    clientId: fields.clientId,
    clientSecret: fields.clientSecret,
    emailDomains: fields.emailDomains,
    scopes: Type.Optional(fields.scopes),
    enabled: Type.Optional(fields.enabled),
    createUsers: Type.Optional(fields.createUsers),
    roleId: Type.Optional(fields.roleId),
    trustProviderMfa: Type.Optional(fields.trustProviderMfa),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(CreateBody, { additionalProperties: false });
const Params = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const One = Type.Object({ data: ProviderSchema });

function toWire(p: IdentityProvider, redirectUri: string): Static<typeof ProviderSchema> {
  return {
    id: p.id,
    name: p.name,
    issuer: p.issuer,
    clientId: p.clientId,
    emailDomains: p.emailDomains,
    scopes: p.scopes,
    enabled: p.enabled,
    createUsers: p.createUsers,
    roleId: p.roleId,
    trustProviderMfa: p.trustProviderMfa,
    tokenEndpointAuthMethod: p.tokenAuthMethod,
    redirectUri,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

export interface IdentityProviderRouteDeps {
  guard: GuardDeps;
  identityProviders: IdentityProviderAdmin;
  sso: Pick<SsoSignIn, 'redirectUri'>;
}

export function identityProviderRoutes(scope: RestScope, d: IdentityProviderRouteDeps): void {
  const common = { tags: ['single sign-on'], security: ANY_CREDENTIAL };
  const onRequest = guard(d.guard, { permissions: ['SSO_MANAGE'] });
  const wire = (p: IdentityProvider) => toWire(p, d.sso.redirectUri());

  scope.get('/identity-providers', { onRequest, schema: { ...common, summary: "List the partner's identity providers", response: { 200: Type.Object({ data: Type.Array(ProviderSchema) }), ...problems(401, 403) } } }, async (req) => ({
    data: (await d.identityProviders.list(callerOf(req).principal)).map(wire),
  }));

  scope.post(
    '/identity-providers',
    {
      onRequest,
      schema: {
        ...common,
        summary: 'Register an OpenID Connect identity provider',
        description: "400 IDENTITY_PROVIDER_INVALID when the issuer is not https (loopback excepted), its discovery document cannot be read or does not describe a usable OpenID provider; 409 EMAIL_DOMAIN_TAKEN when a domain belongs to another enabled provider of the partner.",
        body: CreateBody,
        response: { 201: One, ...problems(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const saved = await d.identityProviders.create(callerOf(req).principal, req.body as IdentityProviderInput, metaOf(req));
      reply.code(201);
      return { data: wire(saved) };
    },
  );

  scope.get('/identity-providers/:id', { onRequest, schema: { ...common, summary: 'Read one identity provider', params: Params, response: { 200: One, ...problems(400, 401, 403, 404) } } }, async (req) => ({
    data: wire(await d.identityProviders.get(callerOf(req).principal, req.params.id)),
  }));

  scope.patch(
    '/identity-providers/:id',
    { onRequest, schema: { ...common, summary: 'Change an identity provider (the discovery document is checked again)', params: Params, body: PatchBody, response: { 200: One, ...problems(400, 401, 403, 404, 409) } } },
    async (req) => ({ data: wire(await d.identityProviders.update(callerOf(req).principal, req.params.id, req.body, metaOf(req))) }),
  );

  scope.delete(
    '/identity-providers/:id',
    { onRequest, schema: { ...common, summary: 'Remove an identity provider', params: Params, response: { 204: Type.Null({ description: 'Removed.' }), ...problems(400, 401, 403, 404) } } },
    async (req, reply) => {
      await d.identityProviders.delete(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
