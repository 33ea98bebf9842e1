/**
 * Change notifications on PostgreSQL: a trigger (migration 0005) calls `pg_notify` whenever a row
 * lands in `change_log` or `invalid_sessions`, and each node keeps one LISTEN connection that wakes
 * its CacheSync, so a revoked key, a deleted consumer or an ended session stops on every node in
 * about one round trip instead of up to one poll interval. The payload is empty on purpose: the
 * rows themselves are read through the feed's cursor, so a lost or coalesced notification costs
 * nothing but latency, and the poll still bounds it. The connection reconnects with backoff and
 * wakes the sync once reconnected, catching up on anything announced while it was away.
 */
import pg from 'pg';

export const CHANGES_CHANNEL = 'gatehouse_changes';

export interface ChangeListener {
  close(): Promise<void>;
}

/** Reconnection backoff: first retry after this, doubling up to MAX_RETRY_MS while it keeps failing. */
const FIRST_RETRY_MS = 250;
/** Kept short: while this connection is away, changes wait for the poll. */
const MAX_RETRY_MS = 5_000;
/** A connection attempt that hangs (a host dropping packets) is given up after this. */
const CONNECT_TIMEOUT_MS = 5_000;

export async function listenForChanges(url: string, onChange: () => void, onError: (e: unknown) => void): Promise<ChangeListener> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delayMs = FIRST_RETRY_MS;
  /** Clients already given up: a connection fails with an 'error' event and a rejected query, often both. */
  const dropped = new WeakSet<pg.Client>();

  // Each failed client schedules one retry, once: a second report of the same failure (or a late
  // one from a client already replaced) must not start a second LISTEN connection.
  const dropAndRetry = (c: pg.Client, e: unknown) => {
    if (dropped.has(c)) return;
    dropped.add(c);
    if (!closed) onError(e);
    if (client === c) client = undefined;
    c.end().catch(() => undefined);
    if (closed) return;
    clearTimeout(retry);
    retry = setTimeout(() => void connect(), delayMs);
    retry.unref();
    delayMs = Math.min(delayMs * 2, MAX_RETRY_MS);
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
    c.on('notification', () => onChange());
    // Always listening, so a server restart or pg_terminate_backend can never crash the process.
    c.on('error', (e) => dropAndRetry(c, e));
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
      delayMs = FIRST_RETRY_MS;
      // Catch up on whatever was announced while no connection listened.
      onChange();
    } catch (e) {
      dropAndRetry(c, e);
    }
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
