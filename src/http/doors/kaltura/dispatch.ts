/**
 * Runs api_v3 calls: one call through the steps of protocol §1.7, and multirequests as a sequence
 * of such calls with placeholders resolved between them. Returns wire-ready results; every failure
 * becomes a KalturaAPIException value, never a thrown error.
 */
import { nowSeconds, type Clock } from '../../../core/clock.js';
import { E, GatehouseError, fail } from '../../../core/errors/index.js';
import type { RequestMeta } from '../../../services/context.js';
import type { CallerPipeline } from '../../../services/pipeline/caller.js';
import type { Authenticator } from '../../../services/sessions/authenticate.js';
import type { ActionRegistry } from './registry.js';
import { checkLanguage } from './steps/check-language.js';
import { findAction } from './steps/find-action.js';
import { requestedPartner } from './steps/requested-partner.js';
import { kalturaRefusal } from './steps/refusal.js';
import { decodeParams } from './wire/deserialize.js';
import { toApiException, toApiExceptionFromUnknown, type ApiException } from './wire/errors.js';
import { resolvePlaceholders, splitMultiRequest } from './wire/multirequest.js';

export interface DispatcherDeps {
  registry: ActionRegistry;
  /** Step 1 of a KS (genuine, of an existing partner), run before the parameters are decoded. */
  authenticator: Pick<Authenticator, 'check'>;
  /** The rest: the caller table (services/pipeline/caller.ts). */
  callers: Pick<CallerPipeline, 'run'>;
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
      // The server reports a KS it cannot read before any parameter error (protocol §1.7).
      const check = ksString ? await this.d.authenticator.check(ksString) : null;
      if (ksString && !check) throw fail(E.INVALID_KS, { KSID: ksString, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
      checkLanguage(raw.language);
      const args = decodeParams(raw, def.params, { nowSec: nowSeconds(this.d.clock) });
      const out = await this.d.callers.run({ credential: check ? { kind: 'ks', check } : { kind: 'none' }, requestedPartnerId: requestedPartner(raw), meta, required: def.permissions });
      if (!out.ok) throw kalturaRefusal(out, def, ksString);
      const principal = out.caller.principal;
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
