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

export async function listenForChanges(url: string, onChange: () => void, onError: (e: unknown) => void): Promise<ChangeListener> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delayMs = 250;

  const dropAndRetry = (c: pg.Client) => {
    if (client === c) client = undefined;
    c.end().catch(() => undefined);
    if (closed) return;
    clearTimeout(retry);
    retry = setTimeout(() => void connect(), delayMs);
    retry.unref();
    delayMs = Math.min(delayMs * 2, 10_000);
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', () => onChange());
    c.on('error', (e) => {
      onError(e);
      dropAndRetry(c);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
      delayMs = 250;
      onChange();
    } catch (e) {
      onError(e);
      dropAndRetry(c);
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
