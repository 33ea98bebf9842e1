/**
 * Two Gatehouse processes on one PostgreSQL: a membership added or removed, and a category's
 * privacy changed, on node A change node B's delivery decisions within one sync interval (500 ms,
 * the default; usually milliseconds through LISTEN/NOTIFY). Node B has already cached the entry's
 * links and the user's memberships when the change is made, so only the change feed can tell it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { startNode, type Node } from '../support/nodes.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres.js';

const O = kaltura.objects;
const S = kaltura.services;
/** The default sync interval: the bound the issue sets. */
const SYNC_INTERVAL_MS = 500;

describe.skipIf(!DIALECTS.includes('postgres') || !postgresAvailable())('entitlement changes across two processes [postgres]', () => {
  let server: PostgresServer;
  const nodes: Node[] = [];
  let p: TestPartner;
  let admin: any;
  let courseId = 0;
  let entryId = '';
  let viewerKs = '';

  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase('gh_entitlement_nodes');
    const masterKey = randomBytes(32).toString('base64');
    // One after the other: the first applies the migrations and creates the operator.
    nodes.push(await startNode('a', url, masterKey));
    nodes.push(await startNode('b', url, masterKey));
    const a = { url: nodes[0]!.url } as TestGatehouse;
    p = await registerPartner(a, 'Two Nodes U');
    admin = client(a, await adminKs(a, p, p.adminEmail));
    const course = await run(admin, S.category.add(new O.Category({ name: 'Course 202', privacyContext: 'MEDIASPACE', privacy: 3, inheritanceType: 2 })));
    courseId = course.id;
    entryId = (await run(admin, S.media.add(new O.MediaEntry({ name: 'lecture', mediaType: 1 })))).id;
    await run(admin, S.categoryEntry.add(new O.CategoryEntry({ categoryId: courseId, entryId })));
    await run(admin, S.user.add(new O.User({ id: 'viewer', firstName: 'V', email: 'viewer@uni.test' })));
    viewerKs = await run<string>(client(a), S.session.start(p.secret, 'viewer', 0, p.id, 3600, 'enableentitlement,privacycontext:MEDIASPACE,sview:*'));
  }, 120_000);

  afterAll(async () => {
    for (const n of nodes) {
      n.child.kill('SIGTERM');
      rmSync(n.dir, { recursive: true, force: true });
    }
    await server?.stop();
  });

  const statusOn = async (node: Node) => {
    const uri = `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${entryId}/ks/${viewerKs}/format/url/protocol/https/a.mp4`;
    return (await fetch(`${node.url}/authz/delivery`, { headers: { 'x-original-uri': uri } })).status;
  };

  /** Polls node B until it answers `status`; how long that took after the change. */
  async function untilOnB(status: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const got = await statusOn(nodes[1]!);
      if (got === status) return Date.now() - started;
      if (Date.now() - started > 10 * SYNC_INTERVAL_MS) throw new Error(`node B still answers ${got}`);
      // Polling another process; there is no event to wait for.
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('a membership added on A lets the viewer in on B, removed takes it away, within one sync interval', async () => {
    // B caches the entry, its links and the viewer's (empty) memberships.
    expect(await statusOn(nodes[1]!)).toBe(403);
    expect(await statusOn(nodes[1]!)).toBe(403);
    await run(admin, S.categoryUser.add(new O.CategoryUser({ categoryId: courseId, userId: 'viewer', permissionLevel: 3 })));
    expect(await statusOn(nodes[0]!)).toBe(200);
    expect(await untilOnB(200)).toBeLessThan(SYNC_INTERVAL_MS);
    await run(admin, S.categoryUser.deleteAction(courseId, 'viewer'));
    expect(await statusOn(nodes[0]!)).toBe(403);
    expect(await untilOnB(403)).toBeLessThan(SYNC_INTERVAL_MS);
  });

  it("a category's privacy opened on A opens the entry on B; the entry taken out of the category and put back follows too", async () => {
    expect(await statusOn(nodes[1]!)).toBe(403);
    await run(admin, S.category.update(courseId, new O.Category({ privacy: 1 })));
    expect(await untilOnB(200)).toBeLessThan(SYNC_INTERVAL_MS);
    await run(admin, S.category.update(courseId, new O.Category({ privacy: 3 })));
    expect(await untilOnB(403)).toBeLessThan(SYNC_INTERVAL_MS);
    // Without any category the entry is open (§10 step 6); linked again it is the course's.
    await run(admin, S.categoryEntry.deleteAction(entryId, courseId));
    expect(await untilOnB(200)).toBeLessThan(SYNC_INTERVAL_MS);
    await run(admin, S.categoryEntry.add(new O.CategoryEntry({ categoryId: courseId, entryId })));
    expect(await untilOnB(403)).toBeLessThan(SYNC_INTERVAL_MS);
  });
});
