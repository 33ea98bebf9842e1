/**
 * Issue 17's list figure: `baseEntry.list` for a category member with entitlement enforced against
 * the same list without enforcement, over the Kaltura door, in one partner holding 10,000
 * categories (depth up to 8), 100,000 entries and 200,000 memberships — on SQLite and, when it can
 * be started, PostgreSQL — with the totalCount checked against the answer computed here from the
 * generated data, and the query plans of the enforced list and count printed (no full scan).
 *
 * The data is written straight into the tables (batched inserts), as an import would: provisioning
 * 450,000 rows through the API would take longer than the whole bench. The partner, the users'
 * sessions and every measured request go through the real doors.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, SqliteDialect, type CompiledQuery } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { SecretBox } from '../src/core/crypto/secret-box.js';
import { createGatehouse } from '../src/gatehouse.js';
import type { Database as Schema } from '../src/store/schema.js';
import { createRepos, openStore, type Store } from '../src/store/index.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../test/support/postgres.js';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, call, provisionSession, type PostJson } from './provision.js';

export interface EntitlementListRow {
  dialect: 'sqlite' | 'postgres';
  /** Median wall time of one list request, ms. */
  plainMs: number;
  enforcedMs: number;
  totalPlain: number;
  totalEnforced: number;
  /** What totalCount must be for the member, computed from the generated rows. */
  expected: number;
  rounds: number;
  plans: { label: string; plan: string }[];
}

export interface EntitlementScale {
  categories: number;
  entries: number;
  memberships: number;
}

const CTX = 'MEDIASPACE';
const MEMBER = 'u42';
const MEMBERS_ONLY = 3;
const ALL = 1;

/** The generated partner: a tree of `n` categories, every 50th open to all, the rest members-only; inheritance alternating below the roots. */
function tree(n: number) {
  const parent = (i: number) => (i <= 10 ? 0 : Math.floor(i / 3));
  const rows: { i: number; parent: number; depth: number; fullIds: number[]; privacy: number; inherit: boolean; membersOf: number }[] = [];
  for (let i = 1; i <= n; i++) {
    const p = parent(i);
    const up = p === 0 ? undefined : rows[p - 1];
    const inherit = up !== undefined && i % 2 === 0;
    rows.push({ i, parent: p, depth: up ? up.depth + 1 : 1, fullIds: [...(up?.fullIds ?? []), i], privacy: i % 50 === 0 ? ALL : MEMBERS_ONLY, inherit, membersOf: inherit ? (up as (typeof rows)[number]).membersOf : i });
  }
  return rows;
}

async function insertBatched<T>(rows: T[], size: number, write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Writes the categories, entries, links and memberships; returns the member's expected totalCount. */
async function seed(db: Kysely<Schema>, partnerId: number, scale: EntitlementScale): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const cats = tree(scale.categories);
  // Fresh tables: the generated ids are 1..n in insertion order, offset by whatever exists.
  const before = Number((await db.selectFrom('categories').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  const id = (i: number) => before + i;
  await insertBatched(cats, 400, (b) =>
    db
      .insertInto('categories')
      .values(
        b.map((c) => ({
          partner_id: partnerId,
          parent_id: c.parent === 0 ? 0 : id(c.parent),
          name: `c${c.i}`,
          name_key: `c${c.i}`,
          full_name: c.fullIds.map((x) => `c${x}`).join('>'),
          full_name_key: c.fullIds.map((x) => `c${x}`).join('>'),
          full_ids: c.fullIds.map(id).join('>'),
          depth: c.depth,
          description: '',
          tags: '',
          admin_tags: '',
          reference_id: '',
          partner_data: '',
          partner_sort_value: 0,
          default_order_by: '',
          moderation: 0,
          privacy: c.privacy,
          privacy_context: c.parent === 0 ? CTX : '',
          privacy_contexts: CTX,
          appear_in_list: 1,
          inheritance_type: c.inherit ? 1 : 2,
          members_category_id: id(c.membersOf),
          owner: '',
          user_join_policy: 3,
          default_permission_level: 3,
          contribution_policy: 1,
          entries_count: 0,
          direct_entries_count: 0,
          pending_entries_count: 0,
          direct_sub_categories_count: 0,
          members_count: 0,
          pending_members_count: 0,
          status: 2,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })),
      )
      .execute(),
  );
  // Entries: each in one category (entry k in category k mod n + 1), owned by someone else.
  const entryId = (k: number) => `0_b${k.toString(36).padStart(7, '0')}`;
  const entries = Array.from({ length: scale.entries }, (_, k) => k);
  await insertBatched(entries, 500, (b) =>
    db
      .insertInto('entries')
      .values(b.map((k) => ({ id: entryId(k), partner_id: partnerId, name: `entry ${k}`, description: '', user_id: 'owner', creator_id: 'owner', tags: '', access_control_id: null, start_date: null, end_date: null, flavor_params_ids: '', status: 2, media_type: 1, created_at: now - k, updated_at: now - k, deleted_at: null })))
      .execute(),
  );
  const categoryOf = (k: number) => (k % scale.categories) + 1;
  await insertBatched(entries, 500, (b) =>
    db
      .insertInto('category_entries')
      .values(b.map((k) => ({ partner_id: partnerId, category_id: id(categoryOf(k)), entry_id: entryId(k), category_full_ids: (cats[categoryOf(k) - 1] as (typeof cats)[number]).fullIds.map(id).join('>'), status: 2, creator_user_id: 'owner', created_at: now, updated_at: now })))
      .execute(),
  );
  // Memberships: users u0… each in `per` MANUAL categories (INHERIT ones take their members from those).
  const manual = cats.filter((c) => !c.inherit).map((c) => c.i);
  const per = 10;
  const users = Math.ceil(scale.memberships / per);
  const memberships: { user: string; category: number }[] = [];
  for (let u = 0; u < users; u++) for (let j = 0; j < per; j++) memberships.push({ user: `u${u}`, category: manual[(u * 7 + j * 1009) % manual.length] as number });
  await insertBatched(memberships, 500, (b) =>
    db
      .insertInto('category_users')
      .values(b.map((m) => ({ partner_id: partnerId, category_id: id(m.category), user_id: m.user, permission_level: 3, permission_names: 'CATEGORY_VIEW', update_method: 0, status: 1, created_at: now, updated_at: now })))
      .execute(),
  );
  // The member's answer: entries of open categories, or of categories whose members are the member's.
  const mine = new Set(memberships.filter((m) => m.user === MEMBER).map((m) => m.category));
  let expected = 0;
  for (const k of entries) {
    const c = cats[categoryOf(k) - 1] as (typeof cats)[number];
    if (c.privacy === ALL || mine.has(c.membersOf)) expected++;
  }
  return expected;
}

/** The plans of the list's two statements (count and page) as the store runs them for the member. */
async function plans(store: Store, dialect: 'sqlite' | 'postgres', partnerId: number, where: { sqlitePath?: string; databaseUrl?: string }): Promise<{ label: string; plan: string }[]> {
  const captured: CompiledQuery[] = [];
  const log = (e: { level: string; query: CompiledQuery }) => {
    if (e.level === 'query') captured.push(e.query);
  };
  const sqlite = dialect === 'sqlite' ? new Database(where.sqlitePath as string, { readonly: true }) : undefined;
  const pool = dialect === 'postgres' ? new pg.Pool({ connectionString: where.databaseUrl, max: 1 }) : undefined;
  const db = new Kysely<Schema>({ dialect: sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool as pg.Pool }), log });
  try {
    const repos = createRepos(db, new SecretBox(randomBytes(32)));
    const scope = { userId: MEMBER, knownUser: true, privacyContext: CTX };
    const categoryIds = await repos.categories.entitledCategoryIds(partnerId, scope);
    captured.length = 0;
    await repos.entries.list(partnerId, { entitledTo: { scope, categoryIds, liftedEntryIds: [] } }, { pageSize: 30, pageIndex: 1 });
    void store;
    const out: { label: string; plan: string }[] = [];
    for (const [i, q] of captured.entries()) {
      const label = i === 0 ? 'count' : 'page';
      if (sqlite) out.push({ label, plan: (sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join('\n') });
      else out.push({ label, plan: (await (pool as pg.Pool).query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.sql}`, q.parameters as unknown[])).rows.map((r) => r['QUERY PLAN']).join('\n') });
    }
    return out;
  } finally {
    await db.destroy();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function one(dialect: 'sqlite' | 'postgres', scale: EntitlementScale, rounds: number, pgServer: PostgresServer | undefined): Promise<EntitlementListRow> {
  const dir = mkdtempSync(path.join(tmpdir(), `gh-bench-ent-${dialect}-`));
  const sqlitePath = path.join(dir, 'gatehouse.sqlite');
  const databaseUrl = pgServer ? await pgServer.createDatabase(`gh_bench_entitlement_${Date.now()}`) : undefined;
  const config = loadConfig({ env: { GATEHOUSE_DATA_DIR: dir, GATEHOUSE_ADMIN_EMAIL: BENCH_ADMIN_EMAIL, GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'silent', ...(databaseUrl ? { GATEHOUSE_DATABASE_URL: databaseUrl } : {}) } });
  const store = openStore(databaseUrl ? { databaseUrl } : { sqlitePath });
  const gh = await createGatehouse({ config, store, masterKey: randomBytes(32) });
  try {
    await gh.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = gh.app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const post: PostJson = async (p, body) => (await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
    const { partnerId, adminSecret } = await provisionSession(post);
    const expected = await seed(store.db, partnerId, scale);
    // As after any bulk load (and as autovacuum would soon do): statistics for the planner.
    await sql`analyze`.execute(store.db);
    const ks = (privileges: string) => call(post, 'session', 'start', { secret: adminSecret, userId: MEMBER, type: 0, partnerId, expiry: 86400, privileges }) as Promise<string>;
    const enforcedKs = await ks(`enableentitlement,privacycontext:${CTX},list:*`);
    const plainKs = await ks('list:*');
    const list = async (k: string) => {
      const started = performance.now();
      const r = (await call(post, 'baseEntry', 'list', { ks: k, pager: { objectType: 'KalturaFilterPager', pageSize: 30 } })) as { totalCount: number; objects: unknown[] };
      return { ms: performance.now() - started, total: r.totalCount, n: r.objects.length };
    };
    for (let i = 0; i < 3; i++) {
      await list(plainKs);
      await list(enforcedKs);
    }
    const plain: number[] = [];
    const enforced: number[] = [];
    let totalPlain = 0;
    let totalEnforced = 0;
    for (let i = 0; i < rounds; i++) {
      const a = await list(plainKs);
      const b = await list(enforcedKs);
      plain.push(a.ms);
      enforced.push(b.ms);
      totalPlain = a.total;
      totalEnforced = b.total;
      if (b.n !== Math.min(30, expected)) throw new Error(`the enforced list answered ${b.n} entries, expected ${Math.min(30, expected)}`);
    }
    return { dialect, plainMs: median(plain), enforcedMs: median(enforced), totalPlain, totalEnforced, expected, rounds, plans: await plans(store, dialect, partnerId, { sqlitePath, databaseUrl }) };
  } finally {
    await gh.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runEntitlementListBench(o: { scale: EntitlementScale; rounds: number }): Promise<EntitlementListRow[]> {
  const rows = [await one('sqlite', o.scale, o.rounds, undefined)];
  if (!postgresAvailable()) return rows;
  const server = await startPostgres();
  try {
    rows.push(await one('postgres', o.scale, o.rounds, server));
  } finally {
    await server.stop();
  }
  return rows;
}
