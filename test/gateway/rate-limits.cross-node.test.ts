/**
 * Two Gatehouse processes on one PostgreSQL share a service's rate limit (cache/window-counters.ts):
 * a credential's requests spread over both nodes are counted together, within the documented
 * bound — at most `limit - 1 + nodes × batch` per window (batch = 5% of the limit) — and never
 * fewer than the limit. Counted per node, the same requests would get through twice the limit.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchFor } from '../../src/cache/window-counters.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, type TestGatehouse } from '../support/gatehouse.js';
import { startNode, type Node } from '../support/nodes.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres.js';
import { adminToken } from '../support/rest.js';
import { createConsumer, createService, grant, sunbirdToken } from '../support/consumer.js';

const LIMIT = 200;
const NODES = 2;

describe.skipIf(!DIALECTS.includes('postgres') || !postgresAvailable())('service rate limits across two processes [postgres]', () => {
  let server: PostgresServer;
  const nodes: Node[] = [];
  let jwt = '';

  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase('gh_rate_limit_nodes');
    const masterKey = randomBytes(32).toString('base64');
    nodes.push(await startNode('a', url, masterKey));
    nodes.push(await startNode('b', url, masterKey));
    const a = { url: nodes[0]!.url } as TestGatehouse;
    const token = await adminToken(a, await registerPartner(a, 'Two Nodes Limits'));
    await createService(a, token, { name: 'Hourly', routePrefix: '/hourly', allowedGroups: ['apps'], rateLimits: { hour: LIMIT, limitBy: 'credential' } });
    const c = await createConsumer(a, token, 'spread');
    await grant(a, token, 'spread', ['apps']);
    jwt = sunbirdToken(c.key, c.secret);
  }, 120_000);

  afterAll(async () => {
    for (const n of nodes) {
      n.child.kill('SIGTERM');
      rmSync(n.dir, { recursive: true, force: true });
    }
    await server?.stop();
  });

  const ask = (n: Node) => fetch(`${n.url}/authz/api`, { headers: { authorization: `Bearer ${jwt}`, 'x-original-uri': '/hourly/x' } }).then((r) => r.status);

  it('a credential spread over both nodes gets at least the limit and at most limit - 1 + nodes × batch in one hour', async () => {
    // The nodes count on the wall clock's hours: start well inside one.
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 90_000) await new Promise((r) => setTimeout(r, left + 1000));
    // Both nodes serve the service (the change feed); refusals before that are not counted.
    for (const n of nodes) {
      for (const deadline = Date.now() + 5000; (await ask(n)) === 403 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    }
    const statuses: number[] = [];
    // 3 × the limit, alternating nodes, 16 at a time on each.
    const total = 3 * LIMIT;
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const i = next++;
          statuses.push(await ask(nodes[i % NODES]!));
        }
      }),
    );
    // Plus the two warm-up answers, which were grants counted in the same window.
    const granted = statuses.filter((s) => s === 200).length + NODES;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(granted).toBeGreaterThanOrEqual(LIMIT);
    expect(granted).toBeLessThanOrEqual(LIMIT - 1 + NODES * batchFor(LIMIT));
    console.log(`[rate limits across nodes] limit ${LIMIT}/hour, batch ${batchFor(LIMIT)}, ${NODES} nodes: ${granted} of ${total + NODES} granted`);
  }, 180_000);
});
