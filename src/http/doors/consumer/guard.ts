/**
 * The consumer door's two guards, as named steps in order (STYLE rule 1), run at `preHandler`:
 * after the body has arrived (bounded by the door's body limit, not parsed) so that a refusal can
 * still echo the request's `params.msgid`, and before the handler reads anything from it:
 * - admin routes: read exactly one credential (partner admin access token or API key), then the
 *   caller table (services/pipeline/caller.ts) requiring CONSUMER_MANAGE. Consumers belong to the
 *   caller's partner.
 * - the rotation route: a consumer JWT, whose (deprecated) credential is the caller.
 * - the registration routes (v1 and v2): a consumer JWT, else the admin guard (issue 19).
 */
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { E, fail } from '../../../core/errors/index.js';
import type { RequestMeta } from '../../../services/context.js';
import type { Caller, CallerPipeline } from '../../../services/pipeline/caller.js';
import type { ConsumerTokenVerifier } from '../../../services/consumers/verify-consumer-token.js';
import type { CredentialEntry } from '../../../services/ports.js';
import { callerRefusal } from '../../caller-refusal.js';
import { consumerToken } from './steps/consumer-token.js';
import { registeringCaller } from './steps/registering-caller.js';
import type { RegistrationCaller } from '../../../services/consumers/device-registration.js';
import { readCredential } from '../../read-credential.js';

export const CONSUMER_MANAGE = 'CONSUMER_MANAGE';
const REQUIRED = [CONSUMER_MANAGE] as const;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the consumer door's admin guard; null elsewhere. */
    consumerAdmin: Caller | null;
    /** Set by the consumer door's rotation guard; null elsewhere. */
    consumerCredential: CredentialEntry | null;
    /** Set by the consumer door's registration guard; null elsewhere. */
    registrationCaller: RegistrationCaller | null;
  }
}

export interface GuardDeps {
  callers: Pick<CallerPipeline, 'run'>;
  tokens: ConsumerTokenVerifier;
  apiKeyInQuery: boolean;
}

async function adminCaller(req: FastifyRequest, d: GuardDeps): Promise<Caller> {
  const credential = readCredential(req, d.apiKeyInQuery);
  const out = await d.callers.run({ credential, requestedPartnerId: 0, meta: metaOf(req), required: REQUIRED });
  if (!out.ok) throw callerRefusal(req, 'consumer door', credential.kind, out, REQUIRED);
  return out.caller;
}

export function adminGuard(d: GuardDeps): preHandlerAsyncHookHandler {
  return async (req) => {
    req.consumerAdmin = await adminCaller(req, d);
  };
}

/** Registration routes: a consumer by its token (checked against the target in the service) or an admin. */
export function registrationGuard(d: GuardDeps): preHandlerAsyncHookHandler {
  return async (req) => {
    req.registrationCaller = await registeringCaller(req, d.tokens, async () => ({ kind: 'admin', principal: (await adminCaller(req, d)).principal }));
  };
}

export function registrationCallerOf(req: FastifyRequest): RegistrationCaller {
  if (!req.registrationCaller) throw fail(E.AUTHENTICATION_REQUIRED);
  return req.registrationCaller;
}

export function rotationGuard(d: GuardDeps): preHandlerAsyncHookHandler {
  return async (req) => {
    req.consumerCredential = await consumerToken(req, d.tokens);
  };
}

export function adminOf(req: FastifyRequest): Caller {
  // A route that forgot its guard fails closed.
  if (!req.consumerAdmin) throw fail(E.AUTHENTICATION_REQUIRED);
  return req.consumerAdmin;
}

export function credentialOf(req: FastifyRequest): CredentialEntry {
  if (!req.consumerCredential) throw fail(E.INVALID_CONSUMER_CREDENTIAL, { REASON: 'no consumer credential' });
  return req.consumerCredential;
}

export function metaOf(req: FastifyRequest): RequestMeta {
  return { clientIp: req.ip, uri: req.url };
}
