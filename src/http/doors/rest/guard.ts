/**
 * The REST door's authentication and authorization: read exactly one credential, then the caller
 * table (services/pipeline/caller.ts: credential valid → partner usable → user usable →
 * permissions → permission held), its refusal worded as problem+json (caller-refusal.ts). Runs at
 * `onRequest`, before the body is read, so anonymous callers get 401 without any parsing on their
 * behalf.
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { E, fail } from '../../../core/errors/index.js';
import type { RequestMeta } from '../../../services/context.js';
import type { Caller, CallerPipeline } from '../../../services/pipeline/caller.js';
import { callerRefusal } from '../../caller-refusal.js';
import { readCredential } from '../../read-credential.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the REST door's guard; null on routes without one. */
    restCaller: Caller | null;
  }
}

export interface GuardDeps {
  callers: Pick<CallerPipeline, 'run'>;
  apiKeyInQuery: boolean;
}

export interface GuardRule {
  /** Any one of these suffices. */
  permissions: readonly string[];
  /** Only a user's access token, not an API key (creating API keys). */
  accessTokenOnly?: boolean;
}

export function guard(deps: GuardDeps, rule: GuardRule): onRequestAsyncHookHandler {
  return async (req) => {
    const credential = readCredential(req, deps.apiKeyInQuery);
    // Kala: API keys are minted with a user's token only, so a leaked key cannot breed more keys.
    if (rule.accessTokenOnly && credential.kind !== 'accessToken') throw fail(E.ACCESS_TOKEN_REQUIRED);
    const out = await deps.callers.run({ credential, requestedPartnerId: 0, meta: metaOf(req), required: rule.permissions });
    if (!out.ok) throw callerRefusal(req, 'rest', credential.kind, out, rule.permissions);
    req.restCaller = out.caller;
  };
}

export function callerOf(req: FastifyRequest): Caller {
  // A route that forgot its guard fails closed.
  if (!req.restCaller) throw fail(E.AUTHENTICATION_REQUIRED);
  return req.restCaller;
}

export function metaOf(req: FastifyRequest): RequestMeta {
  return { clientIp: req.ip, uri: req.url };
}
