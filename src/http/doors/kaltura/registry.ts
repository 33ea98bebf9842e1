/** Action definitions: the wire signature, the permissions that allow it, and the handler. */
import type { Principal, RequestMeta } from '../../../services/context.js';
import type { ParamDef } from './wire/types.js';

export interface Call {
  readonly args: Record<string, unknown>;
  readonly principal: Principal;
  readonly meta: RequestMeta;
  /**
   * Response headers a handler may add (e.g. `x-kaltura-acp`), by lower-case name. Present only for
   * a single call; inside a multirequest there is no reply of its own, so it is undefined.
   */
  readonly responseHeaders?: Record<string, string>;
}

export interface ActionDef {
  /** Service id as dispatched (lower-case), e.g. `userrole`. */
  readonly service: string;
  /** Action name as declared (camelCase), e.g. `loginByLoginId`. */
  readonly action: string;
  readonly params: readonly ParamDef[];
  /** Any one of these lets the call through (protocol §4.5). */
  readonly permissions: readonly string[];
  /**
   * Kaltura's strict error map: when set, every error whose code is not listed is reported as
   * `USER_WRONG_PASSWORD` (user.loginByLoginId), so a caller learns nothing beyond "no".
   */
  readonly strictErrors?: readonly string[];
  handler(call: Call): Promise<unknown>;
}

export class ActionRegistry {
  private readonly services = new Map<string, Map<string, ActionDef>>();

  add(defs: readonly ActionDef[]): this {
    for (const d of defs) {
      const svc = d.service.toLowerCase();
      let actions = this.services.get(svc);
      if (!actions) this.services.set(svc, (actions = new Map()));
      actions.set(d.action.toLowerCase(), d);
    }
    return this;
  }

  hasService(service: string): boolean {
    return this.services.has(service.toLowerCase());
  }

  find(service: string, action: string): ActionDef | undefined {
    return this.services.get(service.toLowerCase())?.get(action.toLowerCase());
  }
}
