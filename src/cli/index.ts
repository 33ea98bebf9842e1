/**
 * The `gatehouse` command. Admin commands (serve, migrate) run in-process against the configured
 * database; client commands (later issues) talk to a server through its Kaltura door.
 */
import path from 'node:path';
import { Command } from 'commander';
import { configOrExit, serve } from '../main.js';
import { migrateToLatest, openStore } from '../store/index.js';

export function buildCli(): Command {
  const program = new Command('gatehouse').description('Gatehouse: authentication and access control for media platforms').showHelpAfterError();

  program
    .command('serve', { isDefault: true })
    .description('run the server (configuration from GATEHOUSE_* variables or --config)')
    .option('--config <file>', 'JSON configuration file (same as GATEHOUSE_CONFIG_FILE)')
    .option('--port <port>', 'port to listen on (same as GATEHOUSE_PORT)')
    .option('--host <host>', 'interface to bind (same as GATEHOUSE_HOST)')
    .action(async (o: { config?: string; port?: string; host?: string }) => {
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
      const config = configOrExit(o.config ? { configFile: o.config } : undefined);
      const store = openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'gatehouse.sqlite') });
      try {
        const applied = await migrateToLatest(store.db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await store.close();
      }
    });

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  await buildCli().parseAsync(argv);
}
