/**
 * Process entry: read the configuration, open the database, build Gatehouse, listen, and shut down
 * gracefully on SIGTERM/SIGINT (stop accepting, let in-flight requests finish, close the database).
 */
import path from 'node:path';
import { ConfigError, devDefaultsInUse, loadConfig, type GatehouseConfig } from './config/index.js';
import { resolveMasterKey } from './config/master-key.js';
import { createGatehouse } from './gatehouse.js';
import { openStore } from './store/index.js';

export async function serve(config: GatehouseConfig): Promise<void> {
  const masterKey = resolveMasterKey(config.masterKey, config.dataDir);
  // A PostgreSQL connection lost (a restart, pg_terminate_backend) is logged once the logger exists;
  // the pool replaces the connection, and requests meanwhile answer "unavailable, try again".
  let onConnectionError: (e: Error) => void = () => undefined;
  const store = openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'gatehouse.sqlite'), onConnectionError: (e) => onConnectionError(e) });
  const gh = await createGatehouse({ config, store, masterKey: masterKey.key });
  const log = gh.app.log;
  onConnectionError = (e) => log.warn({ cause: e.message }, 'database connection lost; a new one is opened on the next request');
  for (const w of devDefaultsInUse(config)) log.warn(w);
  if (gh.bootstrap.generatedPassword) {
    // Printed once, to the terminal only (never through the logger, which may ship off-box).
    process.stderr.write(
      `\n  Gatehouse first start: operator login created.\n    login:    ${config.adminEmail}\n    password: ${gh.bootstrap.generatedPassword}\n  It is shown only now. Sign in to the console (/console) and change it under My account, or set GATEHOUSE_ADMIN_PASSWORD before the first start.\n\n`,
    );
  }
  await gh.app.listen({ host: config.host, port: config.port });
  log.info({ database: store.dialect, location: store.location }, 'gatehouse ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown grace period elapsed; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    try {
      await gh.close();
      await store.close();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

export function configOrExit(flags?: Record<string, unknown>): GatehouseConfig {
  try {
    return loadConfig(flags ? { flags } : {});
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`gatehouse: configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]));
if (isEntry && path.basename(process.argv[1]!).startsWith('main')) {
  serve(configOrExit()).catch((err: unknown) => {
    process.stderr.write(`gatehouse: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
