/**
 * Opens the database: SQLite (better-sqlite3, WAL) by default, PostgreSQL (pg) when a URL is given.
 * One Kysely instance per process; repositories receive it (or a transaction) explicitly.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { GatehouseError } from '../core/errors/index.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations/index.js';
import { guardedPool } from './pg-pool.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where the data lives, for logs (never includes a password). */
  readonly location: string;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as strings; every bigint we store (unix times, ids) fits a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface OpenOptions {
  /** postgres:// URL; when absent, SQLite at `sqlitePath`. */
  databaseUrl?: string | undefined;
  sqlitePath?: string;
  poolSize?: number;
  /** Hears each PostgreSQL connection that fails (a log line); the pool replaces the connection. */
  onConnectionError?: (e: Error) => void;
}

export function openStore(opts: OpenOptions): Store {
  if (opts.databaseUrl) {
    // Every connection, idle or in use, survives the server going away (pg-pool.ts).
    const pool = guardedPool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 }, opts.onConnectionError);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', location: redactDbUrl(opts.databaseUrl), close: () => db.destroy() };
  }
  const file = opts.sqlitePath ?? ':memory:';
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // Credentials and revocations are written here: FULL keeps a committed write durable on power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

export function redactDbUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    // An unreachable database: say why (refused, timed out, ...), not only "unavailable".
    const reason = error instanceof GatehouseError && error.cause !== undefined ? error.cause : error;
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${(reason as Error).message ?? String(reason)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Readiness: the database answers and the newest migration is applied. */
export async function checkReady(db: Kysely<Database>): Promise<{ database: boolean; migrations: boolean }> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return { database: false, migrations: false };
  }
  try {
    const migrations = await new Migrator({ db, provider: migrationProvider }).getMigrations();
    const latest = migrations.find((m) => m.name === LATEST_MIGRATION);
    return { database: true, migrations: Boolean(latest?.executedAt) && migrations.every((m) => m.executedAt) };
  } catch {
    return { database: true, migrations: false };
  }
}
