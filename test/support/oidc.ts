/**
 * OpenID providers on loopback for the single sign-on suites: a real one (panva's oidc-provider,
 * with its development login and consent pages driven over HTTP), and a small fake whose token
 * endpoint answers an ID token the test crafts with jose (the refusals of the callback).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface Account {
  email: string;
  emailVerified: boolean;
}

export interface RealProvider {
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function signingJwks(): Promise<{ jwk: JWK; privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  return { jwk, privateKey: privateKey as CryptoKey, publicJwk };
}

/** oidc-provider at http://127.0.0.1:{port}, one confidential client, accounts by id. */
export async function startRealProvider(o: { clientId: string; clientSecret: string; redirectUri: string; accounts: Record<string, Account> }): Promise<RealProvider> {
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const { jwk } = await signingJwks();
  const provider = new Provider(issuer, {
    clients: [{ client_id: o.clientId, client_secret: o.clientSecret, redirect_uris: [o.redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [jwk] },
    cookies: { keys: ['sso-test-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    findAccount: (_ctx: unknown, sub: string) => {
      const a = o.accounts[sub];
      return a ? { accountId: sub, claims: () => ({ sub, email: a.email, email_verified: a.emailVerified, name: sub }) } : undefined;
    },
  });
  server.on('request', provider.callback());
  return { issuer, provider, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A cookie jar per origin (enough for two servers on loopback; paths ignored). */
export class Jar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  store(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    this.byOrigin.set(origin, jar);
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string {
    const jar = this.byOrigin.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  get(url: string, name: string): string | undefined {
    return this.byOrigin.get(new URL(url).origin)?.get(name);
  }
}

/** A request as a browser would make it (cookies from the jar, no redirect followed). */
export async function browse(jar: Jar, url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
  jar.store(url, res);
  return res;
}

/** Follows redirects from `url` until one leads to `stopAt` (an origin + path prefix), answering the provider's login and consent pages. */
export async function signInAtProvider(jar: Jar, url: string, accountId: string, stopAt: string): Promise<string> {
  let next = url;
  for (let hop = 0; hop < 20; hop++) {
    if (next.startsWith(stopAt)) return next;
    const res = await browse(jar, next);
    const location = res.headers.get('location');
    if (location) {
      next = new URL(location, next).href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status} at ${next}: ${html.slice(0, 300)}`);
    // A development interaction page: log in as the account, then consent.
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? (html.includes('name="login"') ? 'login' : 'consent');
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form on ${next}: ${html.slice(0, 300)}`);
    const submit = await browse(jar, new URL(action, next).href, { form: prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt } });
    const loc = submit.headers.get('location');
    if (!loc) throw new Error(`interaction submit answered ${submit.status}: ${(await submit.text()).slice(0, 300)}`);
    next = new URL(loc, next).href;
  }
  throw new Error('too many redirects');
}

export interface FakeProvider {
  issuer: string;
  /** The next ID token's claims, given the nonce of the pending sign-in (what the token endpoint will sign). */
  next: ((nonce: string) => Record<string, unknown>) | undefined;
  /** Token requests received (codes), to prove a refused callback made none. */
  tokenRequests: string[];
  close(): Promise<void>;
}

/**
 * A minimal OpenID provider: discovery, JWKS and a token endpoint that signs whatever `next`
 * returns (RS256, the provider's own key). No authorization endpoint is ever visited: the tests
 * call the callback with a code of their own.
 */
export async function startFakeProvider(o: { clientId: string }): Promise<FakeProvider> {
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicJwk } = await signingJwks();
  const fake: FakeProvider = { issuer, next: undefined, tokenRequests: [], close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  let pendingNonce = '';
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [publicJwk] });
    if (url.pathname === '/authorize') {
      pendingNonce = url.searchParams.get('nonce') ?? '';
      return json(200, { note: 'the tests do not sign in here' });
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        fake.tokenRequests.push(form.get('code') ?? '');
        const claims = fake.next?.(pendingNonce);
        if (!claims) return json(400, { error: 'invalid_grant' });
        void new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .sign(privateKey)
          .then((idToken) => json(200, { access_token: 'at-not-used', token_type: 'Bearer', expires_in: 60, id_token: idToken }));
      });
      return undefined;
    }
    return json(404, { error: 'not_found' });
  });
  void o;
  return fake;
}

/** The claims of a good ID token from the fake for `clientId`, `nonce` and `email`. */
export function goodClaims(fake: FakeProvider, clientId: string, nonce: string, email: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: fake.issuer, aud: clientId, sub: `sub-${email}`, nonce, iat: now, exp: now + 300, email, email_verified: true };
}
