/**
 * Builds one Gatehouse, layer by layer: store → caches → services → ops → doors (each in
 * src/wiring/). Explicit wiring: each service gets exactly what it uses, each door the services
 * it calls. main.ts and the tests both start from here.
 */
import type { FastifyInstance } from 'fastify';
import type { DeliveryService } from './services/delivery/delivery-service.js';
import type { Logger } from 'pino';
import type { CachedDirectory } from './cache/directory.js';
import type { CacheSync } from './cache/sync.js';
import type { GatehouseConfig } from './config/index.js';
import { systemClock, type Clock } from './core/clock.js';
import { Auditor } from './services/audit.js';
import { bootstrap, type BootstrapResult } from './services/bootstrap.js';
import { PasswordService } from './services/passwords.js';
import { LoginAttempts } from './services/users/login-attempts.js';
import type { Store } from './store/index.js';
import { createApp, wireOps } from './wiring/app.js';
import { wireCaches } from './wiring/caches.js';
import { wireDoors } from './wiring/doors.js';
import { wireServices } from './wiring/services.js';
import { wireStore } from './wiring/store.js';

export interface GatehouseOptions {
  config: GatehouseConfig;
  store: Store;
  masterKey: Buffer;
  clock?: Clock;
  /** A pino-compatible logger stream/destination for tests; default stdout. */
  logger?: boolean | Logger;
  /** Poll interval of the cross-node cache sync. */
  syncIntervalMs?: number;
}

export interface Gatehouse {
  app: FastifyInstance;
  bootstrap: BootstrapResult;
  sync: CacheSync;
  directory: CachedDirectory;
  /** The delivery decision (bench/server-floor.ts measures it without the door around it). */
  delivery: DeliveryService;
  close(): Promise<void>;
}

export async function createGatehouse(opts: GatehouseOptions): Promise<Gatehouse> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const storage = await wireStore(opts.store, opts.masterKey);
  const shell = createApp(config, clock, opts.logger);
  const log = shell.app.log;

  // Used from the first start-up write to the last flush at shutdown, by several layers: the
  // password hasher, every password sign-in's budgets (throttle per address, lockout per login and
  // address, ceiling per login, in the database) and the audit writer.
  const passwords = new PasswordService();
  const attempts = new LoginAttempts({ repo: storage.repos.loginAttempts, clock, throttle: config.loginThrottle, ceiling: config.loginCeiling });
  const audit = new Auditor(storage.repos.audit, clock, (err, e) => log.error({ err, action: e.action }, 'audit write failed'));
  const boot = await bootstrap({ uow: storage.uow, passwords, clock }, { adminEmail: config.adminEmail, adminPassword: config.adminPassword });

  const caches = await wireCaches({ config, clock, log, dialect: opts.store.dialect, repos: storage.repos, attempts, syncIntervalMs: opts.syncIntervalMs ?? 500, rateCounters: storage.rateCounters });
  const services = await wireServices({ config, clock, storage, caches, passwords, attempts, audit });
  // Before the doors, so the request metrics cover their routes.
  const { registry } = wireOps(shell, opts.store, caches.geo);
  await wireDoors(shell, { config, clock, masterKey: opts.masterKey, registry, services, directory: caches.directory });

  return {
    app: shell.app,
    bootstrap: boot,
    sync: caches.sync,
    directory: caches.directory,
    delivery: services.delivery,
    close: async () => {
      await shell.app.close();
      // Audit events of the last requests are written, and the credential caches' re-reads end,
      // before the database is closed.
      await audit.flush();
      await Promise.all([caches.apiKeys.settled(), caches.credentials.settled()]);
      attempts.close();
      await caches.windowCounters.close();
      await caches.changeListener?.close();
      await caches.sync.stop();
    },
  };
}
