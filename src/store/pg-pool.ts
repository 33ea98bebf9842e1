/**
 * The PostgreSQL pool, made safe against a database that goes away (a restart, a failover,
 * `pg_terminate_backend`).
 *
 * Why this exists: `pg` emits an `'error'` event on a client whose connection dies, and an
 * EventEmitter without an `'error'` listener throws, which kills the process. pg-pool listens
 * only while a client is idle; a client checked out by Kysely (inside a query, a transaction, or
 * between the two) had no listener, so one terminated backend under traffic crashed the node.
 * Here every client gets its own listener for its whole life, from the moment it connects.
 *
 * And what the caller sees: a query that fails because the connection or the server is gone
 * becomes the catalogue's SERVICE_UNAVAILABLE (each door answers it as "try again": HTTP 503, or
 * a KalturaAPIException), with the driver's error as `cause` for the logs. Every other database
 * error (a constraint violation, a bad statement) passes through unchanged, so the dialect
 * translation in errors.ts keeps working. The broken client is dropped by the pool on release,
 * and the next checkout opens a fresh connection: reconnecting needs nothing else.
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { E, GatehouseError } from '../core/errors/index.js';

/**
 * How long a checkout may wait for a connection (a new one, or a free one when all are busy).
 * Without it a request would hang for as long as the server does not answer (a host that drops
 * packets): a request should fail in seconds, and readiness should say so.
 */
export const CONNECT_TIMEOUT_MS = 5_000;

/** SQLSTATEs meaning the connection or the server is gone, not that the statement was wrong. */
function connectionLost(sqlState: string): boolean {
  return (
    sqlState.startsWith('08') || // connection_exception
    sqlState === '57P01' || // admin_shutdown: server stopping, or pg_terminate_backend
    sqlState === '57P02' || // crash_shutdown
    sqlState === '57P03' || // cannot_connect_now: starting up or shutting down
    sqlState === '53300' // too_many_connections
  );
}

/** Node's socket errors: the server cannot be reached or the connection broke. */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function unavailable(cause: unknown): GatehouseError {
  return new GatehouseError(E.SERVICE_UNAVAILABLE, {}, { cause });
}

/** Whether an error is the database being unreachable (as thrown by this pool). */
export function isDatabaseUnavailable(e: unknown): boolean {
  return e instanceof GatehouseError && e.def.category === 'unavailable';
}

/**
 * A pool for Kysely's PostgresDialect. `onClientError` hears every connection error (for a log
 * line); it must not throw.
 */
export function guardedPool(config: pg.PoolConfig, onClientError: (e: Error) => void = () => undefined): PostgresPool {
  const pool = new pg.Pool({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, ...config });
  /** Clients whose connection has failed; their later queries fail without reaching the server. */
  const broken = new WeakSet<pg.PoolClient>();
  // An idle client losing its connection: the pool removes it (after this listener ran).
  pool.on('error', () => undefined);
  // Every client, idle or checked out, for its whole life: see the header.
  pool.on('connect', (client) => {
    client.on('error', (e) => {
      broken.add(client);
      onClientError(e);
    });
  });

  /**
   * Whether a failed query failed because the database is gone. `pg` hands a query's rejection
   * over on the next tick, after the client's 'error' event, so `broken` is already set then.
   */
  const lost = (client: pg.PoolClient, e: unknown): boolean => {
    if (e instanceof pg.DatabaseError) return typeof e.code === 'string' && connectionLost(e.code);
    const code = (e as { code?: unknown } | null)?.code;
    return broken.has(client) || (typeof code === 'string' && SOCKET_ERRORS.has(code));
  };

  // One wrapper per pg client: Kysely keys its connection objects by the client it is handed.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrappers.get(client);
    if (!w) {
      // Statements only: streaming (a cursor) is not configured on this dialect.
      const query = (sqlText: string, parameters: ReadonlyArray<unknown>) =>
        client.query(sqlText, parameters as unknown[]).catch((e: unknown) => {
          throw lost(client, e) ? unavailable(e) : e;
        });
      w = {
        query: query as unknown as PostgresPoolClient['query'],
        // A broken client is closed, not put back (pg-pool would see that too, from a private flag).
        release: () => client.release(broken.has(client) || undefined),
      };
      wrappers.set(client, w);
    }
    return w;
  };

  return {
    // No connection at all (refused, timed out, server starting or stopping, pool closed): the
    // database is unavailable, whatever the reason; the cause says which.
    connect: () => pool.connect().then(wrap, (e: unknown) => Promise.reject(unavailable(e))),
    end: () => pool.end(),
  };
}
