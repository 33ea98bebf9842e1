/**
 * baseEntry.getContextData (protocol §5.5): the access pipeline's entry table
 * (pipeline/entry-access.ts) for the caller's own session or a KS it passes, reported as the
 * decision itself (messages, actions, fulfilled rules) with `isScheduledNow` and `isAdmin`. The
 * delivery doors ask the same table and conclude for delivery; this service only reports.
 */
import type { Decision } from '../../core/access/model.js';
import { E, fail, type GatehouseError } from '../../core/errors/index.js';
import type { Principal, RequestMeta } from '../context.js';
import type { AccessControlProfileRecord, Entry } from '../model.js';
import type { EntryAccessPipeline, EntryAccessRefusal, ScopeOverrides as PipelineOverrides } from '../pipeline/entry-access.js';
import { sessionOf } from '../pipeline/scope.js';
import { sessionRefusalError } from '../pipeline/steps/session-usable.js';

/** What the caller may override; anything absent (or empty) comes from the request itself. */
export interface ScopeOverrides extends PipelineOverrides {
  /** A KS string to evaluate instead of the request's own (validated like a request KS; invalid fails the call). */
  ks?: string | null;
}

export interface ContextData {
  entry: Entry;
  /** The profile evaluated, or null when there was none with rules (neither the entry's nor the partner default: allow). */
  profileId: number | null;
  /** The record of the profile evaluated (its rules' messages and codes), null when none was. */
  profile: AccessControlProfileRecord | null;
  decision: Decision;
  isScheduledNow: boolean;
  isAdmin: boolean;
  /** The user id of the session the decision was made for ('' without a session or user). */
  userId: string;
}

export class ContextDataService {
  constructor(private readonly d: { pipeline: EntryAccessPipeline }) {}

  async getContextData(p: Principal, entryId: string, o: ScopeOverrides, meta: RequestMeta, actionName = 'baseentry.getContextData'): Promise<ContextData> {
    const out = await this.d.pipeline.run({
      partnerId: p.partnerId,
      entryId,
      // A KS given as a parameter is checked like a request KS (signature, expiry, revocation, its
      // user's status) and must be of the entry's partner: another partner's `sview` grants nothing.
      session: o.ks ? { ks: o.ks } : sessionOf(p),
      meta,
      overrides: o,
      actionName,
    });
    if (!out.ok) throw refusalError(out, entryId, o.ks ?? '');
    const a = out.access;
    return { entry: a.entry, profileId: a.profile?.id ?? null, profile: a.profile, decision: a.decision, isScheduledNow: a.isScheduledNow, isAdmin: a.isAdmin, userId: a.userId };
  }
}

/** The pipeline's refusal as the catalogue error this action has always answered. */
function refusalError(r: EntryAccessRefusal, entryId: string, ks: string): GatehouseError {
  // An entry the session is not entitled to is one the server does not find (its entry peer filters it out).
  if (r.reason === 'not_found' || r.reason === 'entitlement') return fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: entryId });
  if (r.reason === 'partner_blocked') return fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
  return sessionRefusalError(r, ks);
}
