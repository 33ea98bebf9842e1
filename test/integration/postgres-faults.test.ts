/**
 * PostgreSQL faults at the store: a backend terminated under a checked-out connection (between two
 * queries of a transaction, and in the middle of one), a server that is not there, and the LISTEN
 * connection killed. None may crash the process (`pg` throws an 'error' event nobody listens to),
 * each fails the request with SERVICE_UNAVAILABLE, and the next request works on a new connection.
 * Runs on the run's shared PostgreSQL and terminates only the backends of its own database.
 */
import { createServer } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/store/errors.js';
import { checkReady, listenForChanges, openStore, type Store } from '../../src/store/index.js';
import { CHANGES_CHANNEL } from '../../src/store/notify.js';
import { DIALECTS, freshDatabaseUrl } from '../support/dialects.js';

/** A promise and the function that settles it: waits on an event instead of a timer. */
function signal<T = void>(): { promise: Promise<T>; fire: (v: T) => void } {
  let fire!: (v: T) => void;
  const promise = new Promise<T>((resolve) => (fire = resolve));
  return { promise, fire };
}

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!DIALECTS.includes('postgres'))('PostgreSQL faults at the store [postgres]', () => {
  let url: string;
  let admin: pg.Client;
  beforeAll(async () => {
    url = await freshDatabaseUrl('postgres-faults');
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
  });

  const terminate = (pid: number) => admin.query('select pg_terminate_backend($1)', [pid]);

  /** A store whose connection failures are announced through `lost`. */
  function storeWithSignal(): { store: Store; lost: Promise<Error> } {
    const lost = signal<Error>();
    const store = openStore({ databaseUrl: url, poolSize: 2, onConnectionError: (e) => lost.fire(e) });
    return { store, lost: lost.promise };
  }

  it('a checked-out connection whose backend is terminated between two queries: no crash, SERVICE_UNAVAILABLE, then a new connection', async () => {
    const { store, lost } = storeWithSignal();
    try {
      const inTransaction = store.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await terminate(rows[0]!.pid);
        // The connection is checked out and idle in our hands when the server drops it: the
        // 'error' event that used to kill the process arrives here.
        await lost;
        await sql`select 1`.execute(trx);
      });
      await expect(inTransaction).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(rows[0]?.one).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('a query in flight when its backend is terminated: SERVICE_UNAVAILABLE with the server\'s reason as cause', async () => {
    const { store } = storeWithSignal();
    try {
      const started = signal<number>();
      let inFlight: unknown;
      const running = store.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        started.fire(rows[0]!.pid);
        await sql`select pg_sleep(20)`.execute(trx).catch((e: unknown) => {
          inFlight = e;
          throw e;
        });
      });
      // Settled at once: the transaction may fail while the test still awaits the termination
      // below, and a rejection nobody listens to yet is an unhandled one.
      const outcome = running.then(() => undefined, (e: unknown) => e);
      const pid = await started.promise;
      // Wait until the sleep is what the backend runs, so the termination hits a query in flight.
      for (;;) {
        const { rows } = await admin.query<{ query: string }>('select query from pg_stat_activity where pid = $1', [pid]);
        if (rows[0]?.query.includes('pg_sleep')) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await terminate(pid);
      // The transaction fails as a whole (its rollback cannot run either), unavailable all the same.
      expect(await outcome).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(inFlight).toMatchObject({ code: 'SERVICE_UNAVAILABLE', cause: { code: '57P01' } });
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(rows[0]?.one).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('every other database error passes through unchanged (a unique violation stays one)', async () => {
    const { store } = storeWithSignal();
    try {
      await sql`create table fault_unique (id int primary key)`.execute(store.db);
      await sql`insert into fault_unique values (1)`.execute(store.db);
      const err = await sql`insert into fault_unique values (1)`.execute(store.db).then(() => undefined, (e: unknown) => e);
      expect(isUniqueViolation(err)).toBe(true);
      await expect(sql`select * from no_such_table`.execute(store.db)).rejects.toMatchObject({ code: '42P01' });
    } finally {
      await store.close();
    }
  });

  it('no server at all: SERVICE_UNAVAILABLE at once, and readiness says the database is down', async () => {
    const store = openStore({ databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/none` });
    try {
      await expect(sql`select 1`.execute(store.db)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', cause: { code: 'ECONNREFUSED' } });
      expect(await checkReady(store.db)).toEqual({ database: false, migrations: false });
    } finally {
      await store.close();
    }
  });

  it('the LISTEN connection, terminated, reconnects and catches up', async () => {
    const errors: unknown[] = [];
    let wake = signal();
    const listener = await listenForChanges(url, () => wake.fire(), (e) => errors.push(e));
    try {
      const listenerPid = async () => {
        for (;;) {
          const { rows } = await admin.query<{ pid: number }>(
            `select pid from pg_stat_activity where datname = current_database() and query = $1 and pid <> pg_backend_pid()`,
            [`LISTEN ${CHANGES_CHANNEL}`],
          );
          if (rows[0]) return rows[0].pid;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const first = await listenerPid();
      wake = signal();
      await terminate(first);
      // Reconnected: it wakes the sync once to catch up on what was announced meanwhile...
      await wake.promise;
      expect(errors.length).toBeGreaterThanOrEqual(1);
      const second = await listenerPid();
      expect(second).not.toBe(first);
      // ...and hears notifications again.
      wake = signal();
      await admin.query(`select pg_notify('${CHANGES_CHANNEL}', '')`);
      await wake.promise;
    } finally {
      await listener.close();
    }
  });
});
