/** Single sign-on's records and the storage they are read from (the store implements these ports). */

/** How Gatehouse authenticates at the provider's token endpoint (RFC 8414 names). */
export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** A partner's OpenID Connect identity provider. */
export interface IdentityProvider {
  id: number;
  partnerId: number;
  name: string;
  /** The issuer identifier, exactly as the discovery document states it. */
  issuer: string;
  clientId: string;
  /** Opened from its sealed column; never returned by any route. */
  clientSecret: string;
  /** Lower-case domains; an e-mail `x@<domain>` picks this provider. */
  emailDomains: string[];
  /** `openid` first. */
  scopes: string[];
  tokenAuthMethod: TokenAuthMethod;
  enabled: boolean;
  /** Sign-ins with no matching user create one with `roleId` (both must be set). */
  createUsers: boolean;
  roleId: number | null;
  /**
   * The provider's own multi-factor sign-in, when its ID token asserts one (`amr` mfa/otp, or a
   * multi-factor `acr`), stands in for Gatehouse's two-factor code. Off by default: a login or
   * partner that needs a code is then asked for it after the provider too.
   */
  trustProviderMfa: boolean;
  createdAt: number;
  updatedAt: number;
}

export type NewIdentityProvider = Omit<IdentityProvider, 'id'>;

export interface IdentityProviderRepo {
  insert(p: NewIdentityProvider): Promise<IdentityProvider>;
  /** Replaces every field (domains included) but the id, partner and creation time. */
  update(p: IdentityProvider): Promise<void>;
  delete(partnerId: number, id: number): Promise<boolean>;
  get(id: number): Promise<IdentityProvider | undefined>;
  list(partnerId: number): Promise<IdentityProvider[]>;
  /** Enabled providers with this e-mail domain, across partners (or in one). */
  enabledByDomain(domain: string, partnerId?: number): Promise<IdentityProvider[]>;
}

/** Thrown by the repository when a domain already belongs to an enabled provider of the partner. */
export class DomainTakenError extends Error {
  constructor(readonly domain: string) {
    super(`domain taken: ${domain}`);
    this.name = 'DomainTakenError';
  }
}

export type TicketKind = 'flow' | 'handover';

export interface SsoTicket {
  kind: TicketKind;
  /** SHA-256 (hex) of the browser-held value. */
  id: string;
  /** SHA-256 (hex) of the browser's sign-in cookie. */
  binding: string;
  payload: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
}

export interface SsoTicketRepo {
  /** Stores a ticket, pruning expired ones. */
  put(t: SsoTicket): Promise<void>;
  /** Removes and returns the ticket if it exists, is of this kind and has not expired: at most one caller ever gets it. */
  take(kind: TicketKind, id: string, now: number): Promise<SsoTicket | undefined>;
}
