/**
 * The REST door's JSON shapes the console reads (console-contract.md), named for the pages.
 *
 * Wire types are not written here: they are aliases into ./openapi.gen.ts, which `npm run
 * gen:api-types` generates from the OpenAPI document the server serves at /docs/json (itself built
 * from the routes' TypeBox schemas). When a route's answer changes, regenerate; the pages then
 * type-check against what the server really sends.
 */
import type { paths } from './openapi.gen';

// ---- Wire types: aliases into the generated OpenAPI types ----------------------------------------

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of a route's success answer (200, or 201 for a creation). */
type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer Ok }
    ? Json<Ok>
    : R extends { 201: infer Created }
      ? Json<Created>
      : never
  : never;
/** The `data` of a route's success answer. */
type Data<P extends keyof paths, M extends keyof paths[P]> = Answer<P, M> extends { data: infer D } ? D : never;
/** One item of a list route's `data`. */
type Item<P extends keyof paths> = Data<P, 'get'> extends Array<infer I> ? I : never;

export type Me = Data<'/api/me', 'get'>;
export type PartnerKind = Me['partner']['kind'];
export type TokenAnswer = Data<'/api/auth/access-token', 'post'>;
/** A sign-in's access token (the other answer is a token for two-factor enrolment only). */
export type AccessTokenAnswer = Extract<TokenAnswer, { access_token: string }>;

/** The signed-in user's two-factor codes: set up, waiting for a first code, required by the partner. */
export type TwoFactorStatus = Data<'/api/me/two-factor', 'get'>;
/** A started enrolment: the secret, its otpauth URI and QR code (SVG). */
export type TwoFactorStarted = Data<'/api/me/two-factor', 'post'>;
/** A confirmed enrolment: the recovery codes (shown once), and with an enrolment token the access token. */
export type TwoFactorConfirmed = Data<'/api/me/two-factor/confirm', 'post'>;

/** The rules a new password must follow (shown on "My account"). */
export type PasswordPolicy = Data<'/api/me/password-policy', 'get'>;
/** One of the signed-in person's own sign-ins or password changes, from the audit log. */
export type SignInEvent = Item<'/api/me/sign-ins'>;

/** A publisher as listed. */
export type Partner = Item<'/api/partners'>;
/** One publisher as `GET /api/partners/{id}` answers it: the listing plus its admin, limits and settings. */
export type FullPartner = Data<'/api/partners/{id}', 'get'>;
/** Its own limits, null where the installation's setting applies. */
export type PartnerLimits = FullPartner['limits'];
/** `POST /api/partners`: the publisher, its admin, and the secrets shown once. */
export type PartnerCreated = Data<'/api/partners', 'post'>;

export type User = Data<'/api/users/{id}', 'get'>;
export type Role = Data<'/api/roles/{id}', 'get'>;

export type AppToken = Item<'/api/app-tokens'>;
/** `POST /api/app-tokens`: the token with its value, shown once. */
export type AppTokenCreated = Data<'/api/app-tokens', 'post'>;

export type ApiKey = Item<'/api/auth/api-keys'>;
/** `POST /api/auth/api-key`: the key itself, shown once. */
export type ApiKeyCreated = Data<'/api/auth/api-key', 'post'>;
export type Permission = Item<'/api/permissions'>;

/** A consumer as listed. */
export type Consumer = Item<'/api/consumers'>;
/** One consumer as `GET /api/consumers/{username}` answers it, with its credentials. */
export type FullConsumer = Data<'/api/consumers/{username}', 'get'>;
export type Credential = FullConsumer['credentials'][number];
/** `POST /api/consumers`: the consumer's first credential, its secret shown once. */
export type ConsumerCreated = Data<'/api/consumers', 'post'>;
/** `POST /api/consumers/{username}/credentials`: the new credential, its secret (HS256 only) shown once. */
export type CredentialCreated = Data<'/api/consumers/{username}/credentials', 'post'>;

export type ApiService = Data<'/api/services/{id}', 'get'>;

export type Profile = Data<'/api/access-control-profiles/{id}', 'get'>;
export type Simulation = Data<'/api/access-control-profiles/simulate', 'post'>;
/** For a simulated entry: the entitlement step's verdict (applies, entitled, why in words). */
export type EntitlementVerdict = NonNullable<Simulation['entitlement']>;
export type SimulationRule = Simulation['rules'][number];
export type SimulationCondition = SimulationRule['conditions'][number];

export type Entry = Data<'/api/entries/{id}', 'get'>;
/** One of an entry's category links, with the category's full name. */
export type EntryCategory = Item<'/api/entries/{id}/categories'>;

export type Category = Data<'/api/categories/{id}', 'get'>;
export type CategoryPrivacy = Category['privacy'];
export type CategoryInheritance = Category['inheritanceType'];
export type CategoryMember = Item<'/api/categories/{id}/members'>;
export type PermissionLevel = CategoryMember['permissionLevel'];
/** An entry put directly into a category. */
export type CategoryLink = Item<'/api/categories/{id}/entries'>;
export type AuditEvent = Item<'/api/audit'>;

// ---- Console-only types (not on the wire as such) ------------------------------------------------

/** The rule editor's Kaltura objects (rules/model.ts), with `objectType` always set. */
export type { KObject } from '../rules/model';
