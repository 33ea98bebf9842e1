/** The REST door's JSON shapes the console reads (console-contract.md). */
import type { KObject } from '../rules/model';

export type PartnerKind = 'operator' | 'publisher';

export interface Me {
  user: { id: string; email: string; screenName: string; isAdmin: boolean; roleId: number | null; roleName: string | null };
  partner: { id: number; name: string; status: string; kind: PartnerKind };
  permissions: string[];
  consoleAccess: { allowed: boolean; reason: string | null; explanation: string | null };
  partners: Array<{ id: number; name: string; kind: PartnerKind; status: string }>;
}

export interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface Partner {
  id: number;
  name: string;
  description: string;
  status: 'active' | 'blocked';
  adminEmail: string;
  adminName: string;
  adminUserId: string;
  createdAt: string;
  updatedAt: string;
  admin?: { id: string; email: string; screenName: string; status: string };
  /** One partner's answers only: its own limits, null where the installation's setting applies. */
  limits?: PartnerLimits;
}

export interface PartnerLimits {
  apiKeyMaxValidity: number | null;
  consumerJwtMaxLifetime: number | null;
  gatewayRateLimit: number | null;
  accessControlProfileLimit: number | null;
}

export interface User {
  id: string;
  partnerId: number;
  email: string;
  firstName: string;
  lastName: string;
  screenName: string;
  status: 'active' | 'blocked';
  isAdmin: boolean;
  isAccountOwner: boolean;
  roleId: number | null;
  loginEnabled: boolean;
  lastLoginAt: string | null;
}

export interface Role {
  id: number;
  name: string;
  systemName: string;
  description: string;
  permissions: string[];
  partnerId: number;
  builtIn: boolean;
  status: string;
}

export interface AppToken {
  id: string;
  token?: string;
  description: string;
  status: string;
  sessionType: 'user' | 'admin';
  sessionUserId: string | null;
  sessionDuration: number;
  expiry: string | null;
  hashType: string;
  sessionPrivileges: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKey {
  id: string;
  start: string;
  validFrom: string;
  validTo: string;
  permissions: string[];
  services: string[];
  createdBy: string;
  createdAt: string;
  revoked: boolean;
  revokedAt: string | null;
}

export interface Permission {
  id: string;
  name: string;
  description: string;
  includes: string[];
}

export interface Credential {
  key: string;
  algorithm: string;
  status: 'active' | 'deprecated';
  deprecatedAt: string | null;
  expiresAt: string | null;
  createdAt: string;
  secret?: string;
}

export interface Consumer {
  username: string;
  groups: string[];
  credentials?: Credential[];
}

export interface ApiService {
  id: string;
  name: string;
  routePrefix: string;
  allowedGroups: string[];
  requiredPermissions: string[];
  createdAt: string;
  updatedAt: string;
}

export type { KObject } from '../rules/model';

export interface Profile {
  id: number;
  name: string;
  systemName: string;
  description: string;
  isDefault: boolean;
  rules: KObject[];
  createdAt: string;
  updatedAt: string;
}

export interface SimulationCondition {
  index: number;
  type: string;
  not: boolean;
  fulfilled: boolean;
  why: string;
}

export interface SimulationRule {
  index: number;
  fired: boolean;
  skipped?: 'context' | 'admin' | 'stopped' | null;
  conditions: SimulationCondition[];
}

export interface Simulation {
  allowed: boolean;
  isScheduledNow?: boolean;
  messages: string[];
  actions: KObject[];
  rules: SimulationRule[];
  country: string | null;
  ip: string | null;
}

export interface Entry {
  id: string;
  name: string;
  description: string;
  userId: string;
  status: string;
  accessControlId: number | null;
  startDate: string | null;
  endDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEvent {
  id: string | number;
  at: string;
  partnerId: number;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  details: unknown;
}
