/** Table types of single sign-on (migration 0010); part of schema.ts's Database. */
import type { Generated } from 'kysely';

export interface IdentityProvidersTable {
  id: Generated<number>;
  partner_id: number;
  name: string;
  issuer: string;
  client_id: string;
  /** AES-256-GCM sealed client secret, bound to the row's id. */
  client_secret_enc: string;
  /** Space-separated, `openid` first. */
  scopes: string;
  /** `client_secret_basic` or `client_secret_post`, chosen from the discovery document on save. */
  token_auth_method: string;
  enabled: number;
  create_users: number;
  role_id: number | null;
  /** 1: an ID token asserting MFA (amr/acr) stands in for Gatehouse's own two-factor code (migration 0014). */
  trust_provider_mfa: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface IdentityProviderDomainsTable {
  provider_id: number;
  partner_id: number;
  /** Lower-case, no `@`. */
  domain: string;
  /** The provider's `enabled`, copied so "one enabled provider per domain and partner" is a unique index. */
  enabled: number;
}

export interface SsoTicketsTable {
  /** SHA-256 (hex) of the random value the browser holds; never the value. */
  id: string;
  kind: 'flow' | 'handover';
  /** SHA-256 (hex) of the browser's sign-in cookie. */
  binding: string;
  /** AES-256-GCM sealed JSON. */
  payload_enc: string;
  created_at: number;
  expires_at: number;
}
