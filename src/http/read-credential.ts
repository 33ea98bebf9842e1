// Step shared by the REST and consumer doors: exactly one credential — `Authorization: Bearer` access token, `X-API-Key`, or (when enabled) `?key=` — else 401.
import type { FastifyRequest } from 'fastify';
import { E, fail } from '../core/errors/index.js';
import type { CallerCredential } from '../services/pipeline/caller.js';

/** A REST credential: a user's access token or an API key. */
export type Credential = Extract<CallerCredential, { kind: 'accessToken' | 'apiKey' }>;
import { HeaderPicker } from './pick-headers.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
/** A repeated one reads as `null` (pick-headers.ts): two copies are two credentials. */
const CREDENTIAL_HEADERS = new HeaderPicker(['authorization', 'x-api-key']);

export function readCredential(req: FastifyRequest, apiKeyInQuery: boolean): Credential {
  const [authorization, header] = CREDENTIAL_HEADERS.pick(req.raw);
  if (authorization === null || header === null) throw fail(E.AMBIGUOUS_CREDENTIALS);
  const found: Credential[] = [];
  if (authorization !== undefined) {
    const m = BEARER.exec(authorization);
    if (!m) throw fail(E.AUTHENTICATION_REQUIRED);
    found.push({ kind: 'accessToken', token: m[1]! });
  }
  if (header !== undefined) found.push({ kind: 'apiKey', key: header.trim() });
  // Off by configuration: a key in the query string is then not a credential at all (ASVS 14.2.1).
  if (apiKeyInQuery) {
    const q = (req.query as Record<string, unknown> | undefined)?.key;
    if (Array.isArray(q)) throw fail(E.AMBIGUOUS_CREDENTIALS);
    if (typeof q === 'string') found.push({ kind: 'apiKey', key: q });
  }
  if (found.length > 1) throw fail(E.AMBIGUOUS_CREDENTIALS);
  const [credential] = found;
  if (!credential) throw fail(E.AUTHENTICATION_REQUIRED);
  return credential;
}
