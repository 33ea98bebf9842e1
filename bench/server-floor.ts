/**
 * The floor of /authz/delivery: a Gatehouse process built exactly as server-gatehouse.ts builds it
 * for the delivery bench, plus three routes answered ahead of it on the same HTTP server, each one
 * step closer to the real door, so the bench can show how much of a bare Fastify route's
 * throughput is left before any decision is made:
 *   /floor/answer  an empty 200, nothing read (Node's HTTP layer in a Gatehouse-sized process);
 *   /floor/read    + the headers the door reads, the original URI parsed as the door parses it,
 *                  and the door's 200 with its three identity headers;
 *   /floor/hash    + the verified-KS cache key (SHA-256 of the KS: STYLE rule 5 keys no cache by
 *                  the KS itself) and one Map lookup by it.
 *   /floor/decide  + the real decision (DeliveryService.decide, the access pipeline from the
 *                  caches), answered as the floor answers: what the decision costs without the
 *                  door around it (client-IP walk, proxy headers, metrics, the door's encoder).
 * What is left between /floor/hash and /authz/delivery is the decision: client-IP walk, caches of
 * partner, entry, user and profile, the KS's own checks (expiry, revocation) and the rules.
 * And for /authz/api (bench/gateway.ts) one route with all of the door but its decision:
 *   /floor/api     the original request and the credential read by the door's own readers, the
 *                  verified-credential cache key (SHA-256) and one Map lookup, and the door's 200
 *                  with Kong's identity headers (the door's own encoder).
 * Prints `{"port":N}` once listening, as the other bench servers do.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VerifiedKsCache } from '../src/cache/verified-ks.js';
import { VerifiedCache } from '../src/cache/verified-tokens.js';
import { loadConfig } from '../src/config/index.js';
import { createGatehouse } from '../src/gatehouse.js';
import { parseDeliveryUri } from '../src/http/doors/delivery/urls.js';
import { granted } from '../src/http/doors/gateway/answers.js';
import { readAsked, readGatewayCredential, readOriginal } from '../src/http/doors/gateway/original-request.js';
import type { DeliveryDecision } from '../src/services/delivery/delivery-service.js';
import type { ApiService } from '../src/services/model.js';
import type { GatewayIdentity } from '../src/services/gateway/gateway-service.js';
import { openStore } from '../src/store/index.js';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD } from './provision.js';
import { serveUntilSignalled } from './serve-child.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-floor-'));
const config = loadConfig({
  env: { GATEHOUSE_DATA_DIR: dir, GATEHOUSE_ADMIN_EMAIL: BENCH_ADMIN_EMAIL, GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'silent', GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1' },
});
const store = openStore({ sqlitePath: path.join(dir, 'gatehouse.sqlite') });
const gh = await createGatehouse({ config, store, masterKey: randomBytes(32) });

const keys = new VerifiedKsCache();
const seen = new Map<string, number>();

/** The door's reads and its 200 without the decision (a 400 when the request names no entry). */
function readAndAnswer(req: IncomingMessage, res: ServerResponse, hash: boolean): void {
  const h = req.headers;
  const uri = h['x-original-uri'];
  const t = typeof uri === 'string' ? parseDeliveryUri(uri, true) : undefined;
  // Read as the door reads them (the bench sends all four; anything else is not the bench's request).
  const sent = typeof h['x-original-method'] === 'string' && typeof h['x-forwarded-for'] === 'string' && typeof h.referer === 'string' && typeof h['user-agent'] === 'string';
  if (!t || !sent) {
    res.writeHead(400, { 'content-length': 0 }).end();
    return;
  }
  if (hash) {
    const key = keys.digest(t.ks);
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (seen.size > 1000) seen.clear();
  }
  res.writeHead(200, { 'content-length': 0, 'x-gatehouse-partner': String(t.partnerId), 'x-gatehouse-entry': t.entryId, 'x-gatehouse-user': 'viewer@uni.test' }).end();
}

/** /floor/hash's reads, then the pipeline's decision itself, answered as the floor answers. */
function readDecideAnswer(req: IncomingMessage, res: ServerResponse): void {
  const h = req.headers;
  const uri = h['x-original-uri'];
  const t = typeof uri === 'string' ? parseDeliveryUri(uri, true) : undefined;
  if (!t) {
    res.writeHead(400, { 'content-length': 0 }).end();
    return;
  }
  const xff = h['x-forwarded-for'];
  const meta = { clientIp: typeof xff === 'string' ? xff : '127.0.0.1', uri: uri as string, referrer: h.referer, userAgent: h['user-agent'], headers: h };
  const answer = (d: DeliveryDecision) => {
    if (!d.granted) res.writeHead(403, { 'content-length': 0 }).end();
    else res.writeHead(200, { 'content-length': 0, 'x-gatehouse-partner': String(d.partnerId), 'x-gatehouse-entry': d.entryId, 'x-gatehouse-user': d.userId }).end();
  };
  const d = gh.delivery.decide({ partnerId: t.partnerId, entryId: t.entryId, context: t.context, ks: t.ks, meta });
  if (d instanceof Promise) void d.then(answer);
  else answer(d);
}

const credentials = new VerifiedCache<number>();
const identity: GatewayIdentity = Object.freeze({ via: 'apiKey', partnerId: 100, consumerId: '0196a2b0-0000-7000-8000-000000000001', username: 'apikey:0196a2b0-0000-7000-8000-000000000001', credentialId: '0196a2b0-0000-7000-8000-000000000001', groups: Object.freeze([]) as unknown as string[] });
const service = { id: '0196a2b0-0000-7000-8000-0000000000aa' } as ApiService;

/** /authz/api's reads and its 200 without the decision (a 400 when there is nothing to decide). */
function apiReadAndAnswer(req: IncomingMessage, res: ServerResponse): void {
  const asked = readAsked(req);
  const original = readOriginal(asked);
  const cred = original.ok ? readGatewayCredential(asked, original.query, true) : undefined;
  if (!cred?.ok) {
    res.writeHead(400, { 'content-length': 0 }).end();
    return;
  }
  const key = credentials.digest(cred.credential.kind === 'jwt' ? cred.credential.token : cred.credential.key);
  credentials.set(key, (credentials.get(key) ?? 0) + 1);
  granted(res, { granted: true, identity, service, rateLimit: 0, remaining: 0 });
}

const server = gh.app.server;
const [gatehouse] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
if (!gatehouse) throw new Error('the Gatehouse server has no request listener');
server.removeAllListeners('request');
server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  const url = req.url ?? '';
  if (url === '/floor/answer') res.writeHead(200, { 'content-length': 0 }).end();
  else if (url === '/floor/read') readAndAnswer(req, res, false);
  else if (url === '/floor/hash') readAndAnswer(req, res, true);
  else if (url === '/floor/decide') readDecideAnswer(req, res);
  else if (url === '/floor/api') apiReadAndAnswer(req, res);
  else gatehouse.call(server, req, res);
});

await serveUntilSignalled(gh.app, async () => {
  await gh.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
