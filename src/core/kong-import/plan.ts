/**
 * The neutral plan an import applies (issue 19): what Kong's declarative configuration or
 * Sunbird's Ansible lists say, in Gatehouse's terms, and everything they say that Gatehouse cannot
 * represent, each with its reason. Pure data: the parsers (./deck.ts, ./sunbird.ts) build it, the
 * import service (services/import) compares it with the partner's objects and applies it.
 */

/** Who a service admits: see ApiService.access (services/model.ts). */
export type PlannedAccess = 'groups' | 'authenticated' | 'public';

/** Kong's `rate-limiting` windows that Gatehouse keeps. */
export interface PlannedRateLimits {
  second?: number;
  minute?: number;
  hour?: number;
  day?: number;
  limitBy: 'consumer' | 'credential' | 'ip';
}

/** One path of one Kong route (or Sunbird API), as a Gatehouse service. */
export interface PlannedService {
  name: string;
  routePrefix: string;
  /** Upper-case, sorted; empty = every method. */
  methods: string[];
  access: PlannedAccess;
  allowedGroups: string[];
  deniedGroups: string[];
  rateLimits: PlannedRateLimits | null;
  /** Where it came from, for the summary: `<file>: route <name>`. */
  source: string;
}

/** A Kong `jwt_secrets` row, kept verbatim so tokens already issued keep verifying. */
export interface PlannedCredential {
  key: string;
  algorithm: string;
  /** HS256: the shared secret, exactly as Kong holds it. */
  secret?: string;
  /** RS256 / ES256: the PEM public key. */
  rsaPublicKey?: string;
  source: string;
}

export interface PlannedConsumer {
  username: string;
  groups: string[];
  credentials: PlannedCredential[];
  source: string;
}

/** Something the file says that is not imported, and why. Never dropped silently. */
export interface SkippedItem {
  kind: 'document' | 'service' | 'route' | 'plugin' | 'consumer' | 'credential' | 'field';
  /** The object's name as the file gives it (route name, plugin name, username, key, …). */
  name: string;
  reason: string;
  source: string;
}

export interface ImportPlan {
  services: PlannedService[];
  consumers: PlannedConsumer[];
  skipped: SkippedItem[];
}

export const emptyPlan = (): ImportPlan => ({ services: [], consumers: [], skipped: [] });
