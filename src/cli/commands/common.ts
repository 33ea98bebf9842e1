/** What every client command shares: the connection flags, `--json`, and the per-run context. */
import { Option, type Command } from 'commander';
import { resolveConnection, type Connection, type ConnectionFlags } from '../client/settings.js';
import { UsageError, type Secrets } from '../errors.js';
import { Printer, type Io } from '../output.js';
import { nowSeconds } from '../time.js';

/** Built once per run by runCli and handed to every command. */
export interface CliDeps {
  env: NodeJS.ProcessEnv;
  io: Io;
  secrets: Secrets;
}

export interface CommonOptions extends ConnectionFlags {
  json?: boolean;
}

/** Everything an action needs: settings, printer, the secret scrubber and "now" in unix seconds. */
export interface Ctx {
  conn: Connection;
  print: Printer;
  secrets: Secrets;
  now: number;
}

const CONNECTION_HELP = `
Connection (flags > --profile > environment; see README "CLI"):
  --url <url>               KALTURA_SERVICE_URL, e.g. https://gatehouse.example.edu
  --partner-id <id>         KALTURA_PARTNER_ID
  --admin-secret <secret>   KALTURA_ADMIN_SECRET (prefer the variable or a profile: flags show in ps)
  --user-id <id>            KALTURA_USER_ID, user of the ADMIN session the CLI starts
  --ks <ks>                 KALTURA_SESSION, an existing KS used instead of starting one
  --profile <name>          a profile of ~/.config/gatehouse/cli.json (or GATEHOUSE_CLI_CONFIG)`;

/**
 * A leaf client command with the connection flags and `--json`. The connection flags are listed
 * once in a block after the command's own options, so `--help` shows what is specific first.
 */
export function clientCommand(parent: Command, name: string, description: string): Command {
  const hidden = (flags: string, text: string) => new Option(flags, text).hideHelp();
  return parent
    .command(name)
    .description(description)
    .option('--json', 'machine-readable JSON output')
    .addOption(hidden('--url <url>', 'service URL'))
    .addOption(hidden('--partner-id <id>', 'partner id'))
    .addOption(hidden('--admin-secret <secret>', 'admin secret'))
    .addOption(hidden('--user-id <id>', 'user of the sessions the CLI starts'))
    .addOption(hidden('--ks <ks>', 'existing KS used instead of starting one'))
    .addOption(hidden('--profile <name>', 'named profile from the CLI config file'))
    .addHelpText('after', CONNECTION_HELP);
}

export function makeCtx(deps: CliDeps, opts: CommonOptions): Ctx {
  const print = new Printer(deps.io, Boolean(opts.json));
  const conn = resolveConnection(opts, deps.env, deps.secrets, (m) => print.warn(m));
  return { conn, print, secrets: deps.secrets, now: nowSeconds() };
}

/** `user`/`admin` (or 0/2, Kaltura's values) → KalturaSessionType. */
export function parseSessionType(text: string, flag: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'user' || t === '0') return 0;
  if (t === 'admin' || t === '2') return 2;
  throw new UsageError(`${flag} must be user or admin (got "${text}")`);
}

export function sessionTypeName(type: number | string | null | undefined): string {
  if (type === null || type === undefined || type === '') return '';
  const n = Number(type);
  return n === 2 ? 'ADMIN' : n === 0 ? 'USER' : String(type);
}
