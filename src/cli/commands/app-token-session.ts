/**
 * `gatehouse app-token session`: the whole app-token flow of protocol §3.3–§3.4, needing only the
 * service URL, the partner id and the token (never the admin secret):
 * session.startWidgetSession(`_<partnerId>`) → tokenHash = hex HASH(widget KS + token) →
 * appToken.startSession with the widget KS.
 */
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { anonymousClient, requirePartnerId } from '../client/connect.js';
import { KalturaApiError } from '../client/http.js';
import { UsageError } from '../errors.js';
import { clientCommand, makeCtx, parseSessionType, type CliDeps, type CommonOptions } from './common.js';
import { parseDuration } from '../time.js';

/** Read when `--token` is not given, so the value need not appear in the process list. */
export const TOKEN_ENV = 'KALTURA_APP_TOKEN';

const ALGORITHMS: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** The widget KS only carries the proof to appToken.startSession; five minutes is plenty. */
const WIDGET_KS_SECONDS = 300;

interface SessionOptions extends CommonOptions {
  id?: string;
  token?: string;
  hashType: string;
  user?: string;
  type?: string;
  expiry?: string;
  privileges?: string;
}

interface KalturaSessionInfo {
  ks: string;
  partnerId: number | string;
  userId?: string;
  expiry: number | string;
  sessionType: number | string;
  privileges?: string;
}

/** Lower-case hex HASH(ks + token), the tokenHash of appToken.startSession (protocol §3.3 step 3). */
export function appTokenHash(hashType: string, ks: string, token: string): string {
  return createHash(ALGORITHMS[hashType]!).update(ks + token, 'utf8').digest('hex');
}

export function registerAppTokenSession(appToken: Command, deps: CliDeps): void {
  clientCommand(appToken, 'session', 'start a session from an app token (widget session → hash → appToken.startSession); prints the KS')
    .requiredOption('--id <id>', 'token id, e.g. 0_ab12cd34')
    .option('--token <value>', `token value (or ${TOKEN_ENV}, which keeps it out of the process list)`)
    .option('--hash-type <type>', "the token's hash type; must match the one it was created with (the CLI creates SHA256 tokens)", 'SHA256')
    .option('--user <id>', 'user of the session (ignored when the token fixes one)')
    .option('--type <type>', 'user or admin (ignored when the token fixes one)')
    .option('--expiry <time>', "session lifetime: seconds or 45m, 12h, 1d (capped by the token's duration and expiry)")
    .option('--privileges <list>', 'extra privileges; reserved ones cannot be added, a token privilege with value * may be narrowed')
    .action(async (o: SessionOptions) => {
      const ctx = makeCtx(deps, o);
      const token = o.token ?? deps.env[TOKEN_ENV];
      if (!token) throw new UsageError(`no token value: pass --token or set ${TOKEN_ENV}`);
      ctx.secrets.add(token);
      const hashType = o.hashType.trim().toUpperCase();
      if (!ALGORITHMS[hashType]) throw new UsageError(`--hash-type must be one of ${Object.keys(ALGORITHMS).join(', ')} (got "${o.hashType}")`);
      const params = {
        id: o.id!,
        userId: o.user ?? null,
        type: o.type === undefined ? null : parseSessionType(o.type, '--type'),
        expiry: o.expiry === undefined ? null : parseDuration(o.expiry, '--expiry'),
        sessionPrivileges: o.privileges ?? null,
      };
      const client = anonymousClient(ctx.conn);
      const widget = await client.call<{ ks: string }>('session', 'startWidgetSession', { widgetId: `_${requirePartnerId(ctx.conn)}`, expiry: WIDGET_KS_SECONDS });
      ctx.secrets.add(widget.ks);
      let info: KalturaSessionInfo;
      try {
        info = await client.withKs(widget.ks).call<KalturaSessionInfo>('appToken', 'startSession', { ...params, tokenHash: appTokenHash(hashType, widget.ks, token) });
      } catch (e) {
        if (e instanceof KalturaApiError && e.code === 'INVALID_APP_TOKEN_HASH') {
          throw new KalturaApiError(e.code, `${e.message}: check the token value and --hash-type (${hashType} used; it must match the token's hash type)`, { ...e.args });
        }
        throw e;
      }
      ctx.print.result(
        {
          ks: info.ks,
          partnerId: Number(info.partnerId),
          userId: info.userId ?? '',
          expiry: Number(info.expiry),
          sessionType: Number(info.sessionType),
          privileges: info.privileges ?? '',
        },
        () => `${info.ks}\n`,
      );
    });
}
