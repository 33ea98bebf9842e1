/** Single sign-on's small rules: which issuers may be used, e-mail domains, the public URL. */
import { describe, expect, it } from 'vitest';
import { publicUrlOf } from '../../src/config/index.js';
import { isGatehouseError } from '../../src/core/errors/index.js';
import { normaliseDomains } from '../../src/services/sso/identity-providers.js';
import { isLoopbackHost, issuerProblem } from '../../src/services/sso/oidc.js';
import { PublicUrl } from '../../src/services/sso/public-url.js';
import { domainOf } from '../../src/services/sso/sign-in.js';

describe('issuers', () => {
  it('must be https, or http on a loopback address only', () => {
    expect(issuerProblem('https://login.example.edu')).toBeNull();
    expect(issuerProblem('https://login.example.edu/realms/staff')).toBeNull();
    for (const ok of ['http://127.0.0.1:8080', 'http://127.9.9.9', 'http://localhost:3000', 'http://[::1]:4000']) expect(issuerProblem(ok), ok).toBeNull();
    for (const bad of ['http://login.example.edu', 'http://10.0.0.1', 'http://[::ffff:10.0.0.1]', 'ftp://x.example', 'javascript:alert(1)', 'not a url', 'https://u:p@idp.example', 'https://idp.example/?q=1', 'https://idp.example/#f']) {
      expect(issuerProblem(bad), bad).not.toBeNull();
    }
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('e-mail domains', () => {
  it('are lower-cased, deduplicated and sorted; a leading @ is forgiven; anything else is refused', () => {
    expect(normaliseDomains(['Staff.Example.EDU', '@example.edu', 'example.edu'])).toEqual(['example.edu', 'staff.example.edu']);
    for (const bad of ['example', 'exa mple.edu', '*.example.edu', 'example.edu.', '-x.example.edu', 'a@b.edu']) {
      let code = '';
      try {
        normaliseDomains([bad]);
      } catch (e) {
        code = isGatehouseError(e) ? e.code : 'fault';
      }
      expect(code, bad).toBe('IDENTITY_PROVIDER_INVALID');
    }
  });

  it('of an address: after the last @, lower-cased; none without a local part or a domain', () => {
    expect(domainOf('Ana.Lecturer@Campus.Example.EDU')).toBe('campus.example.edu');
    expect(domainOf('"odd@local"@example.edu')).toBe('example.edu');
    for (const bad of ['', '@example.edu', 'ana@', 'no-at-sign', `${'a'.repeat(320)}@x.edu`]) expect(domainOf(bad), bad).toBeUndefined();
  });
});

describe('the public URL', () => {
  it('is GATEHOUSE_PUBLIC_URL when set, else the listen address (the bound port once listening)', () => {
    expect(publicUrlOf({ publicUrl: 'https://gatehouse.example.edu', host: '0.0.0.0', port: 8080 })).toBe('https://gatehouse.example.edu');
    expect(publicUrlOf({ publicUrl: undefined, host: '127.0.0.1', port: 8080 })).toBe('http://127.0.0.1:8080');
    expect(publicUrlOf({ publicUrl: undefined, host: '::1', port: 8080 })).toBe('http://[::1]:8080');
    const url = new PublicUrl({ publicUrl: undefined, host: '127.0.0.1', port: 0 });
    expect(url.get()).toBe('http://127.0.0.1:0');
    url.bind({ address: () => ({ address: '127.0.0.1', family: 'IPv4', port: 43210 }) });
    expect(url.get()).toBe('http://127.0.0.1:43210');
  });
});
