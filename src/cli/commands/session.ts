/** `gatehouse session start|check <ks>|end <ks>` over session.* (protocol §2.9); `check` is the seed's check_ks.py. */
import type { Command } from 'commander';
import { decodeKs, ksKeyFromSecret } from '../../core/ks/index.js';
import { adminClient, requireAdminSecret, requirePartnerId, requireUrl, startSession } from '../client/connect.js';
import { KalturaClient } from '../client/http.js';
import { formatRecord } from '../output.js';
import { isoUtc, parseDuration, relativeExpiry } from '../time.js';
import { clientCommand, makeCtx, parseSessionType, sessionTypeName, type CliDeps, type CommonOptions } from './common.js';

/** A session as `--json` prints it; numbers where the KS holds numbers, whatever the wire type. */
export interface SessionJson {
  partnerId: number;
  userId: string;
  expiry: number;
  sessionType: number;
  privileges: string;
}

function sessionRecord(s: SessionJson, now: number): string {
  return formatRecord([
    ['partner', s.partnerId],
    ['user', s.userId || '(none)'],
    ['type', `${sessionTypeName(s.sessionType)} (${s.sessionType})`],
    ['privileges', s.privileges],
    ['expiry', `${isoUtc(s.expiry)} (${relativeExpiry(s.expiry, now)})`],
  ]);
}

interface StartOptions extends CommonOptions {
  type: string;
  user?: string;
  expiry: string;
  privileges?: string;
}

export function registerSessionCommands(program: Command, deps: CliDeps): void {
  const session = program.command('session').description('start, inspect and end Kaltura sessions (KS)');

  clientCommand(session, 'start', 'start a session with the admin secret (session.start); prints the KS')
    .option('--type <type>', 'user or admin', 'user')
    .option('--user <id>', 'user of the session (default: KALTURA_USER_ID)')
    .option('--expiry <time>', "lifetime: seconds or 45m, 12h, 1d (capped by the partner's maximum)", '86400')
    .option('--privileges <list>', 'privileges, e.g. "setrole:12,urirestrict:/api_v3/service/media/*"')
    .action(async (o: StartOptions) => {
      const ctx = makeCtx(deps, o);
      const type = parseSessionType(o.type, '--type');
      const expiry = parseDuration(o.expiry, '--expiry');
      // The admin secret is the point of this command: a KALTURA_SESSION in the environment does not replace it.
      requireAdminSecret(ctx.conn);
      const ks = await startSession(ctx.conn, ctx.secrets, { type, userId: o.user, expiry, privileges: o.privileges });
      // We hold the secret the KS is signed with, so its fields can be read locally, exactly.
      const parsed = decodeKs(ks, [ksKeyFromSecret(requireAdminSecret(ctx.conn))]);
      ctx.print.result(
        {
          ks,
          partnerId: parsed?.partnerId ?? requirePartnerId(ctx.conn),
          userId: parsed?.userId ?? o.user ?? ctx.conn.userId ?? '',
          expiry: parsed?.validUntil ?? null,
          sessionType: parsed?.type ?? type,
          privileges: parsed?.privileges ?? o.privileges ?? '',
        },
        () => `${ks}\n`,
      );
    });

  clientCommand(session, 'check', 'show what a KS contains: partner, user, type, privileges, expiry (session.get)')
    .argument('<ks>', 'the KS to inspect')
    .addHelpText('after', '\nThe call is made with an ADMIN session of the partner (admin secret or KALTURA_SESSION). It reads the KS;\nit does not tell whether the KS was ended or its token revoked.')
    .action(async (ks: string, o: CommonOptions) => {
      const ctx = makeCtx(deps, o);
      ctx.secrets.add(ks);
      const client = await adminClient(ctx.conn, ctx.secrets);
      const info = await client.call<Record<string, string | number | undefined>>('session', 'get', { session: ks });
      // session.get copies these from the parsed KS, so the server sends them as strings (protocol §2.9).
      const s: SessionJson = {
        partnerId: Number(info.partnerId),
        userId: String(info.userId ?? ''),
        expiry: Number(info.expiry),
        sessionType: Number(info.sessionType),
        privileges: String(info.privileges ?? ''),
      };
      ctx.print.result(s, () => sessionRecord(s, ctx.now));
    });

  clientCommand(session, 'end', 'end a session (session.end with that KS); later calls with it fail')
    .argument('<ks>', 'the KS to end')
    .action(async (ks: string, o: CommonOptions) => {
      const ctx = makeCtx(deps, o);
      ctx.secrets.add(ks);
      await new KalturaClient({ url: requireUrl(ctx.conn), ks }).call<null>('session', 'end');
      ctx.print.result({ ended: true }, () => 'session ended\n');
    });
}
