/**
 * Issue 4's forward-auth figure: `/authz/delivery` requests per second at N connections against a
 * real Gatehouse, as a ratio to a bare Fastify GET route, with p99 latency, measured in one run.
 *
 * Set-up as http.ts does it (servers in child processes, autocannon here, alternating slices, the
 * server's own CPU per request). The request is what nginx's auth_request sends for a viewer:
 * `X-Original-URI` naming a playManifest URL with a USER KS (`sview:*`) in the path,
 * `X-Forwarded-For` (the load generator is the trusted proxy), `Referer` and `User-Agent`. The
 * entry's profile is the 5-rule profile of section 3 (IP, country, site, user agent,
 * authenticated), and the request is allowed: every rule is evaluated, none blocks. Both servers
 * get the same request bytes; the bare route reads none of the headers.
 */
import { measure, newTotals, startServer, totalsRow, type HttpRow, type LoadOptions, type Server, type Totals } from './http.js';
import { call, provisionSession, type PostJson } from './provision.js';

export interface DeliveryBenchResult {
  bare: HttpRow;
  gatehouse: HttpRow;
  /** The same request with entitlement enforced (issue 17): the viewer a member of the entry's category, in its privacy context. */
  entitled: HttpRow;
  /** The floor (server-floor.ts): what is left of the bare route's throughput before any decision. */
  floor: HttpRow[];
  /**
   * The real /authz/delivery answered by the floor's own process (its requests fall through to the
   * Gatehouse it wraps): the door against its floor in one process. Two processes running the same
   * code measured 15–30% apart in CPU per request on these 2-core machines, so the ratio to the
   * floor is read here; the row above (a plain Gatehouse process) stays for the ratio to bare.
   */
  doorInFloor: HttpRow;
  /** The X-Original-URI every request sends (with the KS shortened, for the report). */
  uriShown: string;
}

const str = (...values: string[]) => values.map((value) => ({ objectType: 'KalturaStringValue', value }));
const blockAction = { objectType: 'KalturaAccessControlBlockAction' };

/** Section 3's profile in Kaltura JSON: the rules a real partner would save. */
const RULES = [
  { objectType: 'KalturaRule', message: 'Blocked network', actions: [blockAction], conditions: [{ objectType: 'KalturaIpAddressCondition', not: false, values: str('203.0.113.0/24', '198.51.100.0/24', '10.0.0.0/8') }] },
  { objectType: 'KalturaRule', message: 'Not licensed in your country', actions: [blockAction], conditions: [{ objectType: 'KalturaCountryCondition', not: true, values: str('US', 'CA', 'GB', 'FR', 'DE', 'NL', 'AU') }] },
  { objectType: 'KalturaRule', message: 'Embedding not allowed', actions: [blockAction], conditions: [{ objectType: 'KalturaSiteCondition', not: true, values: str('*.publisher.com', 'partner.example') }] },
  { objectType: 'KalturaRule', actions: [{ objectType: 'KalturaAccessControlLimitFlavorsAction', flavorParamsIds: '487041,487051', isBlockedList: false }], conditions: [{ objectType: 'KalturaUserAgentCondition', not: false, values: str('.*iPad.*|iPhone|Android') }] },
  { objectType: 'KalturaRule', actions: [{ objectType: 'KalturaAccessControlPreviewAction', limit: 30 }], conditions: [{ objectType: 'KalturaAuthenticatedCondition', not: true }] },
];

const VIEWER_HEADERS = {
  'x-original-method': 'GET',
  'x-forwarded-for': '8.8.8.8',
  referer: 'https://www.publisher.com/watch/42?autoplay=1',
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
};

/** server-floor.ts's routes, each one step closer to the door; measured in the same slices as the door. */
const FLOOR_STEPS = [
  { path: 'answer', name: 'floor: empty 200' },
  { path: 'read', name: 'floor: + read, parse, answer' },
  { path: 'hash', name: 'floor: + SHA-256 of the KS' },
  { path: 'decide', name: 'floor: + the decision (no door)' },
] as const;

async function postText(url: string, body: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return res.text();
}

/** A partner, the profile, an entry under it and a viewer's KS, all over the Kaltura door. */
export async function provision(post: PostJson): Promise<{ uri: string; entitledUri: string; entryId: string; partnerId: number }> {
  const { partnerId, ks: adminKs, adminSecret: secret } = await provisionSession(post);
  const profile = (await call(post, 'accessControlProfile', 'add', { ks: adminKs, accessControlProfile: { objectType: 'KalturaAccessControlProfile', name: 'bench 5 rules', rules: RULES } })) as { id: number };
  const entry = (await call(post, 'media', 'add', { ks: adminKs, entry: { objectType: 'KalturaMediaEntry', name: 'bench clip', mediaType: 1, accessControlId: profile.id } })) as { id: string };
  const viewerKs = (await call(post, 'session', 'start', { secret, userId: 'viewer@uni.test', type: 0, partnerId, expiry: 86400, privileges: 'sview:*' })) as string;
  // Issue 17: the entry in a members-only course category of the MEDIASPACE context, the viewer a
  // member; a second KS of the same viewer enforces entitlement in that context.
  const course = (await call(post, 'category', 'add', { ks: adminKs, category: { objectType: 'KalturaCategory', name: 'Course 101', privacyContext: 'MEDIASPACE', privacy: 3, inheritanceType: 2 } })) as { id: number };
  await call(post, 'categoryEntry', 'add', { ks: adminKs, categoryEntry: { objectType: 'KalturaCategoryEntry', categoryId: course.id, entryId: entry.id } });
  await call(post, 'categoryUser', 'add', { ks: adminKs, categoryUser: { objectType: 'KalturaCategoryUser', categoryId: course.id, userId: 'viewer@uni.test', permissionLevel: 3 } });
  const entitledKs = (await call(post, 'session', 'start', { secret, userId: 'viewer@uni.test', type: 0, partnerId, expiry: 86400, privileges: 'sview:*,enableentitlement,privacycontext:MEDIASPACE' })) as string;
  const url = (ks: string) => `/p/${partnerId}/sp/${partnerId}00/playManifest/entryId/${entry.id}/ks/${ks}/format/url/protocol/https/a.mp4`;
  return { uri: url(viewerKs), entitledUri: url(entitledKs), entryId: entry.id, partnerId };
}

function slice(server: Server, url: string, headers: Record<string, string>, connections: number, seconds: number, into?: Totals): Promise<void> {
  return measure(server, { url, connections, duration: seconds, method: 'GET', headers }, into);
}

export async function runDeliveryBench(o: LoadOptions): Promise<DeliveryBenchResult> {
  const servers: Server[] = [];
  try {
    const gh = await startServer('delivery', 'Gatehouse /authz/delivery', 'server-gatehouse', o.profileDir, ['delivery']);
    servers.push(gh);
    const bare = await startServer('delivery-bare', 'bare Fastify GET route', 'server-bare', o.profileDir);
    servers.push(bare);
    const floor = await startServer('delivery-floor', 'floor', 'server-floor', o.profileDir);
    servers.push(floor);

    const { uri, entitledUri, entryId, partnerId } = await provision((p, b) => postText(gh.url + p, b));
    const headers = { ...VIEWER_HEADERS, 'x-original-uri': uri };
    const entitledHeaders = { ...VIEWER_HEADERS, 'x-original-uri': entitledUri };
    // The floor process decides too (/floor/decide): the same partner, profile, entry and viewer there.
    const floorHeaders = { ...VIEWER_HEADERS, 'x-original-uri': (await provision((p, b) => postText(floor.url + p, b))).uri };
    const headersOf = (path: string) => (path === 'decide' ? floorHeaders : headers);
    // The request must be a full, allowed decision (not a fast refusal): check it once before and after.
    const assertAllowed = async () => {
      const entitled = await fetch(`${gh.url}/authz/delivery`, { headers: entitledHeaders });
      if (entitled.status !== 200) throw new Error(`/authz/delivery did not allow the entitled viewer: HTTP ${entitled.status} ${await entitled.text()}`);
      const res = await fetch(`${gh.url}/authz/delivery`, { headers });
      const ok = res.status === 200 && res.headers.get('x-gatehouse-entry') === entryId && res.headers.get('x-gatehouse-partner') === String(partnerId) && res.headers.get('x-gatehouse-user') === 'viewer@uni.test' && !res.headers.has('x-gatehouse-preview');
      if (!ok) throw new Error(`/authz/delivery did not allow the bench viewer: HTTP ${res.status} ${await res.text()}`);
    };
    await assertAllowed();
    const bareCheck = await fetch(`${bare.url}/authz/delivery`, { headers });
    if (bareCheck.status !== 200) throw new Error(`bare route answered HTTP ${bareCheck.status}`);

    for (const step of FLOOR_STEPS) {
      const res = await fetch(`${floor.url}/floor/${step.path}`, { headers: headersOf(step.path) });
      if (res.status !== 200) throw new Error(`floor route ${step.path} answered HTTP ${res.status}`);
    }
    const inFloor = await fetch(`${floor.url}/authz/delivery`, { headers: floorHeaders });
    if (inFloor.status !== 200 || inFloor.headers.get('x-gatehouse-user') !== 'viewer@uni.test') throw new Error(`/authz/delivery in the floor's process did not allow the viewer: HTTP ${inFloor.status}`);

    // Run in this order each round: the two Gatehouse rows together, then every row of the floor's
    // process, the door last. So the door's row, like each floor row, follows a slice of its own
    // process: a row that follows another process's slice starts on cold caches, which had cost the
    // door 1–2% against its floor (the rows are still reported in their usual order).
    const targets = [
      { server: bare, url: `${bare.url}/authz/delivery`, headers },
      { server: gh, url: `${gh.url}/authz/delivery`, headers },
      { server: gh, url: `${gh.url}/authz/delivery`, headers: entitledHeaders },
      ...FLOOR_STEPS.map((step) => ({ server: floor, url: `${floor.url}/floor/${step.path}`, headers: headersOf(step.path) })),
      { server: floor, url: `${floor.url}/authz/delivery`, headers: floorHeaders },
    ];
    for (const t of targets) await slice(t.server, t.url, t.headers, o.connections, o.warmupSeconds);
    if (o.profileDir) for (const s of servers) s.startProfile();
    const totals = targets.map(newTotals);
    for (let s = 0; s < o.slices; s++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i] as (typeof targets)[number];
        await slice(t.server, t.url, t.headers, o.connections, o.measureSeconds / o.slices, totals[i]);
      }
    }
    await assertAllowed();
    const ksStart = uri.indexOf('/ks/') + 4;
    const ksEnd = uri.indexOf('/', ksStart);
    return {
      bare: totalsRow(bare.name, totals[0] as Totals),
      gatehouse: totalsRow(gh.name, totals[1] as Totals),
      entitled: totalsRow('Gatehouse, entitlement enforced', totals[2] as Totals),
      floor: FLOOR_STEPS.map((step, i) => totalsRow(step.name, totals[3 + i] as Totals)),
      doorInFloor: totalsRow("Gatehouse /authz/delivery, floor's process", totals[3 + FLOOR_STEPS.length] as Totals),
      uriShown: `${uri.slice(0, ksStart + 8)}…(${ksEnd - ksStart}-char KS)${uri.slice(ksEnd)}`,
    };
  } finally {
    for (const s of servers) await s.stop();
  }
}
