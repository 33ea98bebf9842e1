/** Turns resolved settings into a ready client: anonymous, or holding an ADMIN KS of the partner. */
import { ConfigError, type Secrets } from '../errors.js';
import { KalturaClient } from './http.js';
import { ENV, type Connection } from './settings.js';

/** ADMIN sessions the CLI starts for itself live ten minutes: long enough for one command, short if leaked. */
export const CLI_SESSION_SECONDS = 600;

export const SessionType = { USER: 0, ADMIN: 2 } as const;

export function requireUrl(c: Connection): string {
  if (!c.url) throw new ConfigError(`no service URL: pass --url or set ${ENV.url} (or use --profile)`);
  return c.url;
}

export function requirePartnerId(c: Connection): number {
  if (c.partnerId === undefined) throw new ConfigError(`no partner id: pass --partner-id or set ${ENV.partnerId} (or use --profile)`);
  return c.partnerId;
}

export function requireAdminSecret(c: Connection): string {
  if (!c.adminSecret) throw new ConfigError(`no admin secret: set ${ENV.adminSecret} (or pass --admin-secret, or use --profile)`);
  return c.adminSecret;
}

/** A client without a KS (session.start, startWidgetSession). */
export function anonymousClient(c: Connection): KalturaClient {
  return new KalturaClient({ url: requireUrl(c) });
}

/** Starts a KS with the admin secret (session.start); `secrets` learns it so no error can print it. */
export async function startSession(
  c: Connection,
  secrets: Secrets,
  opts: { type: number; userId?: string | undefined; expiry: number; privileges?: string | undefined },
): Promise<string> {
  const client = anonymousClient(c);
  const partnerId = requirePartnerId(c);
  const ks = await client.call<string>('session', 'start', {
    secret: requireAdminSecret(c),
    userId: opts.userId ?? c.userId ?? '',
    type: opts.type,
    partnerId,
    expiry: opts.expiry,
    privileges: opts.privileges || null,
  });
  secrets.add(ks);
  return ks;
}

/**
 * A client holding an ADMIN session of the partner: the KS from KALTURA_SESSION/--ks when one is
 * set (used as is), else a short one started with the admin secret as KALTURA_USER_ID, with
 * `privileges` when given.
 */
export async function adminClient(c: Connection, secrets: Secrets, opts: { privileges?: string } = {}): Promise<KalturaClient> {
  const url = requireUrl(c);
  if (c.ks) return new KalturaClient({ url, ks: c.ks });
  if (!c.adminSecret) throw new ConfigError(`no session: set ${ENV.ks} to an ADMIN KS, or ${ENV.partnerId} and ${ENV.adminSecret} (or use --profile)`);
  const ks = await startSession(c, secrets, { type: SessionType.ADMIN, expiry: CLI_SESSION_SECONDS, privileges: opts.privileges });
  return new KalturaClient({ url, ks });
}
