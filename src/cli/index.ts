/**
 * The `gatehouse` command. Admin commands (serve, migrate, import) run in-process against the configured
 * database; client commands (role, app-token, session, category) talk to a server through its Kaltura door,
 * as any Kaltura client would, and never touch a database.
 *
 * Exit status of client commands: 0 success, 1 the call failed (the server's code and message are
 * printed as `error: <CODE>: <message>`), 2 bad usage or configuration.
 */
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { KalturaApiError } from './client/http.js';
import type { CliDeps } from './commands/common.js';
import { registerAppTokenCommands } from './commands/app-token.js';
import { registerCategoryCommands } from './commands/category.js';
import { registerImportCommands } from './commands/import.js';
import { registerConsumerCommands } from './commands/consumer.js';
import { registerRoleCommands } from './commands/role.js';
import { registerSessionCommands } from './commands/session.js';
import { ClientFailure, EXIT, Secrets, UsageError } from './errors.js';
import { processIo } from './output.js';

export function buildCli(deps: CliDeps = { env: process.env, io: processIo, secrets: new Secrets() }): Command {
  // Usage errors surface as CommanderError (see runCli) so they exit 2, not commander's 1.
  const program = new Command('gatehouse').description('Gatehouse: authentication and access control for media platforms').showHelpAfterError().exitOverride();

  program
    .command('serve', { isDefault: true })
    .description('run the server (configuration from GATEHOUSE_* variables or --config)')
    .option('--config <file>', 'JSON configuration file (same as GATEHOUSE_CONFIG_FILE)')
    .option('--port <port>', 'port to listen on (same as GATEHOUSE_PORT)')
    .option('--host <host>', 'interface to bind (same as GATEHOUSE_HOST)')
    .action(async (o: { config?: string; port?: string; host?: string }) => {
      // Loaded on demand: client commands should not pay for starting the server's modules.
      const { configOrExit, serve } = await import('../main.js');
      const flags: Record<string, unknown> = {};
      if (o.config) flags.configFile = o.config;
      if (o.port) flags.port = o.port;
      if (o.host) flags.host = o.host;
      await serve(configOrExit(flags));
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option('--config <file>', 'JSON configuration file')
    .action(async (o: { config?: string }) => {
      const { configOrExit } = await import('../main.js');
      const { migrateToLatest, openStore } = await import('../store/index.js');
      const config = configOrExit(o.config ? { configFile: o.config } : undefined);
      const store = openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'gatehouse.sqlite') });
      try {
        const applied = await migrateToLatest(store.db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await store.close();
      }
    });

  program
    .command('delivery-token-key')
    .description('print the key that verifies gh_token on delivery redirects (base64url, derived from the master key): give it to your origin or CDN, keep it secret')
    .option('--config <file>', 'JSON configuration file')
    .action(async (o: { config?: string }) => {
      const { configOrExit } = await import('../main.js');
      const { resolveMasterKey } = await import('../config/master-key.js');
      const { deriveDeliveryTokenKey } = await import('../core/delivery/token.js');
      const config = configOrExit(o.config ? { configFile: o.config } : undefined);
      const master = resolveMasterKey(config.masterKey, config.dataDir);
      // A key derived from a master key generated just now only fits servers that will use that file.
      if (master.source === 'generated') process.stderr.write(`gatehouse: no master key was configured; generated ${master.file}\n`);
      process.stdout.write(`${deriveDeliveryTokenKey(master.key).toString('base64url')}\n`);
    });

  registerRoleCommands(program, deps);
  registerAppTokenCommands(program, deps);
  registerSessionCommands(program, deps);
  registerCategoryCommands(program, deps);
  // Server-side, like migrate: opens the configured database itself.
  registerImportCommands(program, deps);
  registerConsumerCommands(program, deps);
  return program;
}

/**
 * Maps a failure to its exit status and prints it as `error: <CODE>: <message>`, with every known
 * secret (admin secret, KS, token value) scrubbed: servers echo some of them in messages.
 */
export function reportError(e: unknown, deps: CliDeps): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (or the help); help and --version are successes.
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const line = (code: string, message: string) => deps.io.err(deps.secrets.scrub(`error: ${code}: ${message}`) + '\n');
  if (e instanceof KalturaApiError) {
    line(e.code, e.message);
    return EXIT.failure;
  }
  if (e instanceof UsageError) {
    line(e.code, e.message);
    return EXIT.usage;
  }
  if (e instanceof ClientFailure) {
    line(e.code, e.message);
    return EXIT.failure;
  }
  line('INTERNAL', e instanceof Error ? e.message : String(e));
  return EXIT.failure;
}

export async function runCli(argv: string[]): Promise<void> {
  const deps: CliDeps = { env: process.env, io: processIo, secrets: new Secrets() };
  try {
    await buildCli(deps).parseAsync(argv);
  } catch (e) {
    process.exitCode = reportError(e, deps);
  }
}
