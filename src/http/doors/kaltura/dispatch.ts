/**
 * Runs api_v3 calls: one call through the steps of protocol §1.7, and multirequests as a sequence
 * of such calls with placeholders resolved between them. Returns wire-ready results; every failure
 * becomes a KalturaAPIException value, never a thrown error.
 */
import { nowSeconds, type Clock } from '../../../core/clock.js';
import { E, GatehouseError, fail } from '../../../core/errors/index.js';
import type { RequestMeta } from '../../../services/context.js';
import type { Authenticator } from '../../../services/sessions/authenticate.js';
import type { ActionRegistry } from './registry.js';
import { checkLanguage } from './steps/check-language.js';
import { findAction } from './steps/find-action.js';
import { requestedPartner } from './steps/requested-partner.js';
import { requirePermission } from './steps/require-permission.js';
import { decodeParams } from './wire/deserialize.js';
import { toApiException, toApiExceptionFromUnknown, type ApiException } from './wire/errors.js';
import { resolvePlaceholders, splitMultiRequest } from './wire/multirequest.js';

export interface DispatcherDeps {
  registry: ActionRegistry;
  authenticator: Authenticator;
  clock: Clock;
  /** Reports unexpected faults (they reach the caller only as INTERNAL_SERVERL_ERROR). */
  onFault: (e: unknown, where: string) => void;
}

export class Dispatcher {
  constructor(private readonly d: DispatcherDeps) {}

  /**
   * One call; `raw` is the merged parameter tree. `responseHeaders`, when given, collects the
   * headers the handler adds for the door to put on the reply.
   */
  async call(raw: Record<string, unknown>, meta: RequestMeta, responseHeaders?: Record<string, string>): Promise<unknown> {
    let strict: readonly string[] | undefined;
    try {
      const def = findAction(this.d.registry, raw.service, raw.action);
      strict = def.strictErrors;
      const ksString = typeof raw.ks === 'string' ? raw.ks : '';
      const ks = ksString ? await this.d.authenticator.parse(ksString) : null;
      checkLanguage(raw.language);
      const args = decodeParams(raw, def.params, { nowSec: nowSeconds(this.d.clock) });
      if (ks) await this.d.authenticator.validate(ks, meta);
      const principal = await this.d.authenticator.principal(ks, requestedPartner(raw));
      requirePermission(principal, def);
      const result = await def.handler({ args, principal, meta, responseHeaders });
      return result ?? null;
    } catch (e) {
      return this.toException(e, strict, raw);
    }
  }

  /**
   * A multirequest: items run in order; each item's failure is reported in its slot. Headers the
   * items add land on the one reply, a later item's replacing an earlier one's (as PHP's header()).
   */
  async multi(raw: Record<string, unknown>, meta: RequestMeta, responseHeaders?: Record<string, string>): Promise<unknown[]> {
    let items: Array<Record<string, unknown>>;
    try {
      items = splitMultiRequest(raw);
    } catch (e) {
      return [this.toException(e, undefined, raw)];
    }
    const results: unknown[] = [];
    for (const item of items) {
      let resolved: Record<string, unknown>;
      try {
        resolved = resolvePlaceholders(item, results);
      } catch (e) {
        results.push(this.toException(e, undefined, item));
        continue;
      }
      results.push(await this.call(resolved, meta, responseHeaders));
    }
    return results;
  }

  private toException(e: unknown, strict: readonly string[] | undefined, raw: Record<string, unknown>): ApiException {
    if (e instanceof GatehouseError) {
      // An unreachable database says nothing about the account, so a login shows it as itself
      // (SERVICE_UNAVAILABLE, "try again") rather than as a wrong password.
      if (strict && !strict.includes(e.code) && e.def.category !== 'unavailable') return toApiException(fail(E.USER_WRONG_PASSWORD));
      return toApiException(e);
    }
    this.d.onFault(e, `${String(raw.service)}.${String(raw.action)}`);
    return strict ? toApiException(fail(E.USER_WRONG_PASSWORD)) : toApiExceptionFromUnknown(e);
  }
}
