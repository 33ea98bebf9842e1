/**
 * The REST door's authentication and authorization, as named steps in order (STYLE rule 1):
 * read exactly one credential → authenticate it → require a permission. Runs at `onRequest`,
 * before the body is read, so anonymous callers get 401 without any parsing on their behalf.
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { E, fail } from '../../../core/errors/index.js';
import type { Caller, CallerAuthenticator } from '../../../services/auth/authenticate-caller.js';
import type { RequestMeta } from '../../../services/context.js';
import { authenticate } from './steps/authenticate.js';
import { readCredential } from '../../read-credential.js';
import { requirePermission } from './steps/require-permission.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the REST door's guard; null on routes without one. */
    restCaller: Caller | null;
  }
}

export interface GuardDeps {
  callers: CallerAuthenticator;
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
    const caller = await authenticate(req, deps.callers, credential, rule.accessTokenOnly === true);
    requirePermission(req, caller, rule.permissions);
    req.restCaller = caller;
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
