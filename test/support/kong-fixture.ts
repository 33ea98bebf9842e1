/**
 * A Sunbird-sized Kong set-up built from the published facts (protocol §1.7, Sunbird's kong-api
 * and kong-consumer role defaults): about 470 APIs under Sunbird's service prefixes, each with
 * `jwt` + `acl` (one or two of Sunbird's groups) + `rate-limiting` (its hourly tiers, by
 * credential) + `request-size-limiting` + `cors`, some public reads (no jwt, no acl, limited by
 * ip), some `jwt` only; consumers mobile_device, portal_anonymous, portal_loggedin and desktop
 * with dozens of groups each, and one without groups. Two files, as an operator would bring them:
 * Sunbird's lists (YAML) for the APIs and consumers, and a decK file (JSON) with the consumers'
 * JWT credentials (HS256 key/secret, RS256 key pool with `kid` keys) and a few `deny` routes.
 * Deterministic (a seeded generator), generated, never copied.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { stringify } from 'yaml';

export const PREFIXES = ['/content', '/course', '/user', '/data', '/notes', '/org', '/composite', '/meta', '/dashboard', '/announcement', '/dialcode', '/channel', '/framework', '/badging', '/plugins', '/textbook', '/lock', '/otp', '/cert', '/certreg', '/desktop', '/private/content', '/private/user', '/api-manager', '/object', '/itemset', '/question', '/collection', '/license', '/discussion'];
const ACTIONS = ['create', 'read', 'update', 'search', 'publish', 'retire', 'review', 'list', 'upload', 'delete', 'reject', 'flag', 'copy', 'import', 'export', 'status'];
export const GROUPS = ['userAdmin', 'contentAdmin', 'contentCreate', 'contentUpdate', 'userAccess', 'contentUser', 'courseUser', 'courseAdmin', 'courseUpdate', 'appAdmin', 'configUser', 'publicUser', 'orgAdmin', 'orgUser', 'echoUser', 'noteAdmin', 'noteUser', 'dataAdmin', 'dialcodeAdmin', 'domainUser', 'badgeAdmin', 'badgeUser', 'certAdmin', 'certUser', 'channelAdmin', 'channelUser', 'frameworkAdmin', 'frameworkUser', 'lockUser', 'otpUser', 'pluginAccess', 'textbookAdmin', 'textbookUser', 'announcementAdmin', 'announcementUser', 'dashboardAccess', 'reportViewer', 'objectAccess', 'questionAdmin', 'questionUser', 'collectionAdmin', 'collectionUser', 'licenseUser', 'discussionUser', 'desktopUser', 'privateContentMgmt', 'privateUserAccess', 'itemsetAdmin', 'anonymousAppAccess', 'loggedinAppAccess'];
const TIERS = [100, 5000, 10000, 15000, 30000];

/** mulberry32: a small seeded generator, so every run builds the same file. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FixtureRoute {
  name: string;
  path: string;
  jwt: boolean;
  allow: string[];
  deny: string[];
}

export interface FixtureCredential {
  key: string;
  algorithm: 'HS256' | 'RS256';
  secret?: string;
  privateKey?: KeyObject;
  publicPem?: string;
}

export interface FixtureConsumer {
  username: string;
  groups: string[];
  credentials: FixtureCredential[];
}

export interface KongFixture {
  routes: FixtureRoute[];
  consumers: FixtureConsumer[];
  /** Sunbird's lists (kong_apis, kong_consumers), YAML. */
  sunbirdYaml: string;
  /** decK (format 1.1): the consumers' JWT credentials and the deny routes, JSON. */
  deckJson: string;
}

export function buildKongFixture(routeCount = 471): KongFixture {
  const rand = rng(19);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  const routes: FixtureRoute[] = [];
  const seen = new Set<string>();
  for (let i = 0; routes.length < routeCount; i++) {
    const path = `${pick(PREFIXES)}/v${1 + Math.floor(rand() * 3)}/${pick(ACTIONS)}${rand() < 0.3 ? `/${pick(ACTIONS)}` : ''}`;
    if (seen.has(path)) continue;
    seen.add(path);
    const kind = rand();
    // ~10% public reads, ~5% jwt only, the rest jwt + acl with one or two groups.
    const allow = kind < 0.15 ? [] : [...new Set([pick(GROUPS), ...(rand() < 0.4 ? [pick(GROUPS)] : [])])];
    routes.push({ name: `api${i}`, path, jwt: kind >= 0.1, allow, deny: [] });
  }
  // decK routes with acl deny (Kong 2.1's name for Sunbird's blacklist).
  const denyRoutes: FixtureRoute[] = [
    { name: 'denyMobile', path: '/private/deny/mobile', jwt: true, allow: [], deny: ['anonymousAppAccess'] },
    { name: 'denyLoggedIn', path: '/private/deny/loggedin', jwt: true, allow: [], deny: ['loggedinAppAccess', 'desktopUser'] },
  ];

  const groupsOf = (n: number, extra: string[]) => [...new Set([...extra, ...[...GROUPS].sort(() => rand() - 0.5).slice(0, n)])];
  const rsa = (): Pick<FixtureCredential, 'privateKey' | 'publicPem'> => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  };
  const hs = (key: string): FixtureCredential => ({ key, algorithm: 'HS256', secret: randomBytes(16).toString('hex') });
  const consumers: FixtureConsumer[] = [
    { username: 'mobile_device', groups: groupsOf(40, ['anonymousAppAccess']), credentials: [hs('mobile-device-app-key'), { key: 'mobile_devicev2_key1', algorithm: 'RS256', ...rsa() }, { key: 'mobile_devicev2_key2', algorithm: 'RS256', ...rsa() }] },
    { username: 'portal_anonymous', groups: groupsOf(24, ['anonymousAppAccess']), credentials: [hs('portal-anonymous-key'), { key: 'portal_anonymous_key1', algorithm: 'RS256', ...rsa() }] },
    { username: 'portal_loggedin', groups: groupsOf(30, ['loggedinAppAccess']), credentials: [hs('portal-loggedin-key')] },
    { username: 'desktop', groups: groupsOf(20, ['desktopUser']), credentials: [hs('desktop-key')] },
    { username: 'no_groups', groups: [], credentials: [hs('no-groups-key')] },
  ];

  const kong_apis = routes.map((r) => ({
    name: r.name,
    uris: r.path,
    upstream_url: `http://upstream${r.path.split('/')[1]}:9000${r.path}`,
    strip_uri: true,
    plugins: [
      ...(r.jwt ? [{ name: 'jwt' }] : []),
      { name: 'cors' },
      ...(r.allow.length ? [{ name: 'acl', 'config.whitelist': r.allow.join(',') }] : []),
      { name: 'rate-limiting', 'config.policy': 'local', 'config.hour': pick(TIERS), 'config.limit_by': r.jwt ? 'credential' : 'ip' },
      { name: 'request-size-limiting', 'config.allowed_payload_size': 1 },
    ],
  }));
  const kong_consumers = consumers.map((c) => ({ username: c.username, groups: c.groups, state: 'present' }));
  const deck = {
    _format_version: '1.1',
    services: [{ name: 'private', url: 'http://private:9000', plugins: [{ name: 'jwt' }], routes: denyRoutes.map((r) => ({ name: r.name, paths: [r.path], plugins: [{ name: 'acl', config: { deny: r.deny } }] })) }],
    consumers: consumers.map((c) => ({
      username: c.username,
      acls: c.groups.map((group) => ({ group })),
      jwt_secrets: c.credentials.map((k) => (k.algorithm === 'HS256' ? { key: k.key, secret: k.secret, algorithm: 'HS256' } : { key: k.key, algorithm: 'RS256', rsa_public_key: k.publicPem })),
    })),
  };
  return { routes: [...routes, ...denyRoutes], consumers, sunbirdYaml: stringify({ kong_apis, kong_consumers }), deckJson: JSON.stringify(deck) };
}

/** Kong's decision for a consumer (or none) on a route: the acl plugin's rule, written independently of Gatehouse. */
export function kongDecision(route: FixtureRoute, consumer: FixtureConsumer | undefined): 200 | 401 | 403 {
  const hasAcl = route.allow.length > 0 || route.deny.length > 0;
  if (!route.jwt && !hasAcl) return 200; // nothing runs: Kong proxies it
  if (!consumer) return 401; // jwt: "Unauthorized"
  if (route.deny.some((g) => consumer.groups.includes(g))) return 403;
  if (route.allow.length > 0 && !route.allow.some((g) => consumer.groups.includes(g))) return 403;
  return 200;
}
