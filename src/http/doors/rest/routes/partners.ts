/**
 * `/api/partners`: the operator's publishers (list / read / "Add New Publisher" / block and
 * unblock), guarded by the same operator permissions as Kaltura's partner actions, which only
 * callers of the admin-console partner can hold (a publisher admin gets 403). The one exception:
 * a partner's administrator may PATCH its own partner's `settings` (services/partners/partner-admin.ts).
 */
import { Type, type Static } from 'typebox';
import { MAX_DELIVERY_ORIGINS, MAX_ORIGIN_LENGTH } from '../../../../core/delivery/allowed-origins.js';
import type { Partner, User } from '../../../../services/model.js';
import { UserStatus } from '../../../../services/model.js';
import { partnerLimits, partnerOwnSettings } from '../../../../services/partners/partner-admin.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ACCESS_TOKEN_ONLY, ANY_CREDENTIAL, iso, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';
import { partnerStatus, PartnerStatusSchema } from './me.js';

const PartnerSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  status: PartnerStatusSchema,
  adminEmail: Type.String(),
  adminName: Type.String(),
  adminUserId: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const AdminSchema = Type.Object({ id: Type.String(), email: Type.String(), screenName: Type.String(), status: Type.Union([Type.Literal('active'), Type.Literal('blocked')]) });
const limitDoc = {
  apiKeyMaxValidity: 'Longest API key validity, seconds; can only shorten GATEHOUSE_API_KEY_MAX_VALIDITY.',
  consumerJwtMaxLifetime: 'Consumer JWTs must carry `exp` at most this many seconds after `iat`/now; can only shorten GATEHOUSE_CONSUMER_JWT_MAX_LIFETIME.',
  gatewayRateLimit: 'Requests per minute per credential at /authz/api; replaces GATEHOUSE_GATEWAY_RATE_LIMIT.',
  accessControlProfileLimit: 'Most access-control profiles; replaces GATEHOUSE_ACCESS_CONTROL_PROFILE_LIMIT.',
} as const;
const limitValue = (k: keyof typeof limitDoc) => Nullable(Type.Integer({ minimum: 1, maximum: 10 * 365 * 86400, description: `${limitDoc[k]} null: the installation's setting.` }));
const LimitsSchema = Type.Object({
  apiKeyMaxValidity: limitValue('apiKeyMaxValidity'),
  consumerJwtMaxLifetime: limitValue('consumerJwtMaxLifetime'),
  gatewayRateLimit: limitValue('gatewayRateLimit'),
  accessControlProfileLimit: limitValue('accessControlProfileLimit'),
});
const LimitsPatch = Type.Partial(LimitsSchema, { additionalProperties: false });
const originsDoc =
  "Origins (scheme://host[:port]) whose scripts may read the answers of the partner's delivery URLs (/p/...): each gets Access-Control-Allow-Origin echoed with Vary: Origin, others none. Empty: any origin (*).";
const entitlementDoc =
  "Entitlement (categories' privacy and members) applies to every session of the partner that does not carry disableentitlement, and to calls without a session; Kaltura's account-level setting. Default false: only sessions with enableentitlement.";
const twoFactorDoc =
  "Which users must sign in with two-factor codes (TOTP): off (default), all, admins (users with isAdmin), non_admins. A login that has set codes up needs them whatever this says; one that must and has none is taken to enrolment at its next console sign-in.";
const blockDirectDoc =
  "Kaltura's blockDirectLogin: the partner's users sign in through single sign-on only — user.loginByLoginId, partner.getSecrets and POST /api/auth/access-token answer DIRECT_LOGIN_BLOCKED after the right password — except users whose isSsoExcluded is true. Default false.";
const TwoFactorMode = Type.Union([Type.Literal('off'), Type.Literal('all'), Type.Literal('admins'), Type.Literal('non_admins')], { description: twoFactorDoc });
const SettingsSchema = Type.Object({
  deliveryAllowedOrigins: Type.Array(Type.String(), { description: originsDoc }),
  defaultEntitlementEnforcement: Type.Boolean({ description: entitlementDoc }),
  twoFactor: TwoFactorMode,
  blockDirectLogin: Type.Boolean({ description: blockDirectDoc }),
});
const SettingsPatch = Type.Object(
  {
    deliveryAllowedOrigins: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: MAX_ORIGIN_LENGTH }), { maxItems: MAX_DELIVERY_ORIGINS, description: `${originsDoc} Replaces the list. The partner's own administrator (ACCOUNT_UPDATE_SETTINGS) may change it too.` })),
    defaultEntitlementEnforcement: Type.Optional(Type.Boolean({ description: `${entitlementDoc} Operators only.` })),
    twoFactor: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('all'), Type.Literal('admins'), Type.Literal('non_admins')], { description: `${twoFactorDoc} The partner's own administrator (ACCOUNT_UPDATE_SETTINGS) may change it too.` })),
    blockDirectLogin: Type.Optional(Type.Boolean({ description: `${blockDirectDoc} Operators only.` })),
  },
  { additionalProperties: false },
);
const PartnerWithAdmin = Type.Object({ ...PartnerSchema.properties, admin: Nullable(AdminSchema), limits: LimitsSchema, settings: SettingsSchema });

const ListQuery = Type.Object({
  ...PageQuery.properties,
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'Name or admin email contains, or the id.' })),
  status: Type.Optional(PartnerStatusSchema),
});

const Text = (min: number, max: number) => Type.String({ minLength: min, maxLength: max });
const CreateBody = Type.Object(
  {
    name: Text(1, 256),
    adminName: Text(1, 256),
    adminEmail: Text(3, 320),
    adminPassword: Type.Optional(Text(1, 1024)),
    description: Type.Optional(Text(0, 1024)),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  { status: Type.Optional(PartnerStatusSchema), name: Type.Optional(Text(1, 256)), description: Type.Optional(Text(0, 1024)), limits: Type.Optional(LimitsPatch), settings: Type.Optional(SettingsPatch) },
  { additionalProperties: false },
);

const Created = Type.Object({
  data: Type.Object({
    partner: PartnerSchema,
    admin: Nullable(AdminSchema),
    secret: Type.String({ description: 'The user secret. Shown once.' }),
    adminSecret: Type.String({ description: 'The admin secret. Shown once.' }),
    adminPassword: Nullable(Type.String({ description: 'The generated admin password when none was given (shown once); null otherwise.' })),
  }),
});

export function partnerToWire(p: Partner): Static<typeof PartnerSchema> {
  const adminUserId = typeof p.settings.adminUserId === 'string' && p.settings.adminUserId ? p.settings.adminUserId : p.adminEmail;
  return { id: p.id, name: p.name, description: p.description, status: partnerStatus(p), adminEmail: p.adminEmail, adminName: p.adminName, adminUserId, createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt) };
}

function adminToWire(u: User | undefined): Static<typeof AdminSchema> | null {
  return u ? { id: u.id, email: u.email, screenName: u.screenName, status: u.status === UserStatus.ACTIVE ? 'active' : 'blocked' } : null;
}

function publisherToWire(partner: Partner, admin: User | undefined): Static<typeof PartnerWithAdmin> {
  return { ...partnerToWire(partner), admin: adminToWire(admin), limits: partnerLimits(partner), settings: partnerOwnSettings(partner) };
}

/** What these routes use (handed over by the plugin, nothing more). */
type PartnerRouteDeps = Pick<RouteDeps, 'guard' | 'partnerAdmin'>;

export function partnerRoutes(scope: RestScope, d: PartnerRouteDeps): void {
  const common = { tags: ['partners'], security: ANY_CREDENTIAL };

  scope.get(
    '/partners',
    {
      onRequest: guard(d.guard, { permissions: ['SYSTEM_ADMIN_PUBLISHER_BASE'] }),
      schema: { ...common, summary: 'Publishers (operators only)', querystring: ListQuery, response: { 200: ListOf(PartnerSchema), ...problems(400, 401, 403) } },
    },
    async (req) => {
      const page = pageOf(req.query);
      const r = await d.partnerAdmin.list(callerOf(req).principal, { search: req.query.search, blocked: req.query.status === undefined ? undefined : req.query.status === 'blocked' }, page);
      return listAnswer(r, page, partnerToWire);
    },
  );

  scope.get(
    '/partners/:id',
    {
      onRequest: guard(d.guard, { permissions: ['SYSTEM_ADMIN_PUBLISHER_BASE'] }),
      schema: { ...common, summary: 'One publisher with its admin (operators only)', params: Type.Object({ id: Type.Integer() }), response: { 200: Type.Object({ data: PartnerWithAdmin }), ...problems(400, 401, 403, 404) } },
    },
    async (req) => {
      const r = await d.partnerAdmin.get(callerOf(req).principal, req.params.id);
      return { data: publisherToWire(r.partner, r.admin) };
    },
  );

  scope.post(
    '/partners',
    {
      // Secrets in the answer: a user's token only, so a leaked API key cannot mint partners and read their secrets.
      onRequest: guard(d.guard, { permissions: ['SYSTEM_ADMIN_PUBLISHER_ADD'], accessTokenOnly: true }),
      schema: {
        ...common,
        security: ACCESS_TOKEN_ONLY,
        summary: 'Add a new publisher (partner.register); secrets shown once',
        body: CreateBody,
        response: { 201: Created, ...problems(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await d.partnerAdmin.create(callerOf(req).principal, { name: b.name, adminName: b.adminName, adminEmail: b.adminEmail, adminPassword: b.adminPassword, description: b.description }, metaOf(req));
      reply.header('cache-control', 'no-store').code(201);
      return { data: { partner: partnerToWire(r.partner), admin: adminToWire(r.admin), secret: r.partner.secret, adminSecret: r.partner.adminSecrets[0] ?? '', adminPassword: r.adminPassword ?? null } };
    },
  );

  scope.patch(
    '/partners/:id',
    {
      // ACCOUNT_UPDATE_SETTINGS lets a partner's administrator in for its own `settings` only (the service says what else it may not).
      onRequest: guard(d.guard, { permissions: ['SYSTEM_ADMIN_PUBLISHER_CONFIG', 'ACCOUNT_UPDATE_SETTINGS'] }),
      schema: {
        ...common,
        summary: "Block, unblock or rename a publisher, or set its limits (operators only); set its settings (operators, or the partner's own administrator)",
        params: Type.Object({ id: Type.Integer() }),
        body: PatchBody,
        response: { 200: Type.Object({ data: PartnerWithAdmin }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await d.partnerAdmin.update(callerOf(req).principal, req.params.id, { blocked: b.status === undefined ? undefined : b.status === 'blocked', name: b.name, description: b.description, limits: b.limits, settings: b.settings }, metaOf(req));
      return { data: publisherToWire(r.partner, r.admin) };
    },
  );
}
