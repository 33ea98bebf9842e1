/** The verified-KS cache as the Authenticator uses it (implemented by cache/verified-ks.ts, injected). */
import type { ParsedKs, PrivilegeMap } from '../core/ks/index.js';
import type { PartnerEntry } from './ports.js';

export interface VerifiedKs {
  ks: ParsedKs;
  privileges: PrivilegeMap;
  /** The partner entry whose keys verified the KS; the entry is valid only while it is current. */
  entry: PartnerEntry;
}

export interface VerifiedKsCache {
  /** The cache key of a KS string (a digest: no cache is keyed by the KS itself). */
  digest(ks: string): string;
  get(digest: string): VerifiedKs | undefined;
  /** Remembers a verified KS until its validUntil at the latest. */
  set(digest: string, value: VerifiedKs, nowSec: number): void;
}
