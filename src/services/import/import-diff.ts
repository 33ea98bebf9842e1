/**
 * The plan compared with what the partner has: per object created / updated / unchanged /
 * skipped, and the writes that would make it so. Read-only; the import service applies the
 * writes (or, in a dry run, only answers the summary). Objects are matched as an operator would:
 * services by name, else by path prefix; consumers by username; credentials by key.
 * Each value goes through the same checks as the REST door's (a Kong file is input like any other).
 */
import { createPublicKey, randomUUID } from 'node:crypto';
import { groupsProblems, keyProblems, usernameProblems } from '../../core/consumers/rules.js';
import { isGatehouseError } from '../../core/errors/index.js';
import type { PlannedConsumer, PlannedCredential, PlannedService } from '../../core/kong-import/index.js';
import { serviceFields, type ServiceFields } from '../api-services/api-service-manager.js';
import { MAX_CREDENTIALS } from '../consumers/consumer-service.js';
import { checkPublicKey } from '../consumers/new-credential.js';
import { CREDENTIAL_ALGORITHMS, type ApiService, type Consumer, type ConsumerCredential, type CredentialAlgorithm } from '../model.js';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface ImportItem {
  kind: 'service' | 'consumer' | 'credential';
  /** Service name, username, or `<username> <key>`. */
  name: string;
  outcome: Outcome;
  /** The fields an update changes. */
  changes?: string[];
  reason?: string;
  source: string;
}

export type Write =
  | { op: 'insertService'; service: ApiService }
  | { op: 'updateService'; id: string; patch: Partial<ServiceFields> }
  | { op: 'insertConsumer'; consumer: Consumer }
  | { op: 'setGroups'; consumer: Consumer; groups: string[]; keys: string[] }
  | { op: 'insertCredential'; credential: ConsumerCredential; username: string };

/** What the diff reads: the partner's current objects. */
export interface Current {
  consumer(username: string): Promise<{ consumer: Consumer; credentials: ConsumerCredential[] } | undefined>;
  credentialByKey(key: string): Promise<{ credential: ConsumerCredential; consumer: Consumer } | undefined>;
}

/** Longest secret accepted (Kong's are 32 characters; operators may have set longer ones). */
const MAX_SECRET = 1024;
const messageOf = (e: unknown): string => (isGatehouseError(e) || e instanceof Error ? e.message : String(e));
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
const limitsKey = (r: ApiService['rateLimits']) => (r ? JSON.stringify([r.limitBy, r.second, r.minute, r.hour, r.day]) : 'none');

export function diffServices(planned: readonly PlannedService[], current: readonly ApiService[], partnerId: number, now: number, items: ImportItem[], writes: Write[]): void {
  const byName = new Map(current.map((s) => [s.name, s]));
  const byPrefix = new Map(current.map((s) => [s.routePrefix, s]));
  for (const p of planned) {
    const item = (outcome: Outcome, more: Partial<ImportItem> = {}) => items.push({ kind: 'service', name: p.name, outcome, source: p.source, ...more });
    let f: ServiceFields;
    try {
      f = serviceFields({ ...p, requiredPermissions: [] });
    } catch (e) {
      item('skipped', { reason: messageOf(e) });
      continue;
    }
    const existing = byName.get(f.name) ?? byPrefix.get(f.routePrefix);
    if (!existing) {
      const service: ApiService = { id: randomUUID(), partnerId, ...f, createdAt: now, updatedAt: now };
      writes.push({ op: 'insertService', service });
      byName.set(f.name, service);
      byPrefix.set(f.routePrefix, service);
      item('created');
      continue;
    }
    const other = byPrefix.get(f.routePrefix);
    if (other && other.id !== existing.id) {
      item('skipped', { reason: `path prefix ${f.routePrefix} belongs to the service ${other.name}` });
      continue;
    }
    const patch: Partial<ServiceFields> = {};
    if (existing.name !== f.name) patch.name = f.name;
    if (existing.routePrefix !== f.routePrefix) patch.routePrefix = f.routePrefix;
    if (existing.access !== f.access) patch.access = f.access;
    if (!sameSet(existing.allowedGroups, f.allowedGroups)) patch.allowedGroups = f.allowedGroups;
    if (!sameSet(existing.deniedGroups, f.deniedGroups)) patch.deniedGroups = f.deniedGroups;
    if (!sameSet(existing.methods, f.methods)) patch.methods = f.methods;
    if (limitsKey(existing.rateLimits) !== limitsKey(f.rateLimits)) patch.rateLimits = f.rateLimits;
    const changes = Object.keys(patch);
    if (changes.length === 0) {
      item('unchanged');
      continue;
    }
    writes.push({ op: 'updateService', id: existing.id, patch });
    byPrefix.delete(existing.routePrefix);
    byPrefix.set(f.routePrefix, existing);
    item('updated', { changes });
  }
}

export async function diffConsumers(planned: readonly PlannedConsumer[], current: Current, partnerId: number, now: number, items: ImportItem[], writes: Write[]): Promise<void> {
  const claimed = new Set<string>();
  for (const p of planned) {
    const item = (outcome: Outcome, more: Partial<ImportItem> = {}) => items.push({ kind: 'consumer', name: p.username, outcome, source: p.source, ...more });
    const problems = [...usernameProblems(p.username), ...(p.groups.length ? groupsProblems(p.groups) : [])];
    if (problems.length) {
      item('skipped', { reason: problems.join(', ') });
      for (const c of p.credentials) items.push({ kind: 'credential', name: `${p.username} ${c.key}`, outcome: 'skipped', reason: 'its consumer is skipped', source: c.source });
      continue;
    }
    const found = await current.consumer(p.username);
    let consumer: Consumer;
    let live = 0;
    if (!found) {
      consumer = { id: randomUUID(), partnerId, username: p.username, groups: p.groups, createdAt: now, updatedAt: now };
      writes.push({ op: 'insertConsumer', consumer });
      item('created');
    } else {
      consumer = found.consumer;
      live = found.credentials.filter((c) => c.replacedBy === null && (c.expiresAt === null || c.expiresAt > now)).length;
      if (sameSet(consumer.groups, p.groups)) item('unchanged');
      else {
        writes.push({ op: 'setGroups', consumer, groups: p.groups, keys: found.credentials.map((c) => c.key) });
        item('updated', { changes: ['groups'] });
      }
    }
    for (const c of p.credentials) {
      const credItem = (outcome: Outcome, more: Partial<ImportItem> = {}) => items.push({ kind: 'credential', name: `${p.username} ${c.key}`, outcome, source: c.source, ...more });
      if (claimed.has(c.key)) {
        credItem('skipped', { reason: 'the key is named twice in this import' });
        continue;
      }
      claimed.add(c.key);
      const checked = checkCredential(c);
      if (typeof checked === 'string') {
        credItem('skipped', { reason: checked });
        continue;
      }
      const existing = await current.credentialByKey(c.key);
      if (existing) {
        if (existing.consumer.id !== consumer.id) credItem('skipped', { reason: 'the key belongs to another consumer' });
        else if (existing.credential.algorithm !== checked.algorithm || existing.credential.secret !== checked.secret || !samePem(existing.credential.publicKey, checked.publicKey)) {
          credItem('skipped', { reason: 'the consumer holds this key with another secret, public key or algorithm; deprecate or delete it first' });
        } else credItem('unchanged');
        continue;
      }
      if (live >= MAX_CREDENTIALS) {
        credItem('skipped', { reason: `the consumer would hold more than ${MAX_CREDENTIALS} credentials` });
        continue;
      }
      live++;
      const credential: ConsumerCredential = { id: randomUUID(), partnerId, consumerId: consumer.id, key: c.key, ...checked, createdAt: now, deprecatedAt: null, expiresAt: null, replacedBy: null };
      writes.push({ op: 'insertCredential', credential, username: p.username });
      credItem('created');
    }
  }
}

const samePem = (a: string | null, b: string | null) => (a ?? '').trim() === (b ?? '').trim();

/** The credential as stored (secret or SPKI public key), or why it cannot be. */
function checkCredential(c: PlannedCredential): Pick<ConsumerCredential, 'algorithm' | 'secret' | 'publicKey'> | string {
  const keyIssues = keyProblems(c.key);
  if (keyIssues.length) return keyIssues.join(', ');
  if (!(CREDENTIAL_ALGORITHMS as readonly string[]).includes(c.algorithm)) return `algorithm ${c.algorithm} is not supported (${CREDENTIAL_ALGORITHMS.join(', ')})`;
  const algorithm = c.algorithm as CredentialAlgorithm;
  if (algorithm === 'HS256') {
    if (!c.secret || c.secret.length > MAX_SECRET) return `the secret must have 1 to ${MAX_SECRET} characters`;
    return { algorithm, secret: c.secret, publicKey: null };
  }
  try {
    return { algorithm, secret: null, publicKey: checkPublicKey(algorithm, spki(c.rsaPublicKey ?? '')) };
  } catch (e) {
    return messageOf(e);
  }
}

/** Kong also takes PKCS#1 ("RSA PUBLIC KEY"); Gatehouse stores SPKI, so it is converted first. */
function spki(pem: string): string {
  if (!/-----BEGIN RSA PUBLIC KEY-----/.test(pem)) return pem;
  try {
    return createPublicKey({ key: pem, format: 'pem', type: 'pkcs1' }).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return pem;
  }
}
