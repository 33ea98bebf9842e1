/**
 * Who is calling and from where: the protocol-neutral result of authenticating a request, which
 * every service receives instead of raw tokens.
 */
import type { ParsedKs, PrivilegeMap } from '../core/ks/index.js';
import type { Partner, User } from './model.js';

export interface RequestMeta {
  /** The client address (from the socket, or from X-Forwarded-For only via a trusted proxy). */
  clientIp: string;
  /** The request URI as sent (path and query), for `urirestrict`. */
  uri: string;
  /** The `Referer` header, when sent (access-control scopes). */
  referrer?: string;
  /** The `User-Agent` header, when sent (access-control scopes). */
  userAgent?: string;
  /** Request headers by lower-case name, for rules that read headers (access-control scopes). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface Principal {
  /** The operating partner: the KS partner, or the requested partner of a KS-less call, or 0. */
  partnerId: number;
  partner: Partner | undefined;
  /** The KS exactly as sent ('' without one): app-token hashes are computed over it. */
  ksString: string;
  ks: ParsedKs | null;
  userId: string;
  /** The KS user's live record in the partner, when there is one. */
  user: User | undefined;
  /** 0 USER, 2 ADMIN, -1 no session. */
  sessionType: number;
  privileges: PrivilegeMap;
  isWidget: boolean;
  /** Effective permission names (`*` = all). */
  permissions: ReadonlySet<string> | '*';
}

export function isAdminSession(p: Principal): boolean {
  return p.sessionType >= 2;
}

/** An admin-console session (partner -2), whichever partner it is acting on. */
export function isOperatorSession(p: Pick<Principal, 'ks'>): boolean {
  return p.ks !== null && p.ks.partnerId === -2;
}
