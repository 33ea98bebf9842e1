/** IP address, country and site conditions: table-driven, each case also checked with `not`. */
import { describe, expect, it } from 'vitest';
import { RuleCompileError } from '../../../src/core/access/compile.js';
import { compileHostValues, referrerHost } from '../../../src/core/access/host.js';
import type { ConditionSpec } from '../../../src/core/access/model.js';
import { fakeGeo, fires, profile, rule, scope } from './support.js';

const ipCond = (values: string[], extra: Partial<{ httpHeader: string | null; acceptInternalIps: boolean }> = {}): ConditionSpec => ({
  type: 'ipAddress',
  not: false,
  values,
  acceptInternalIps: false,
  httpHeader: null,
  ...extra,
});

/** Asserts the result, and that `not` gives the opposite. */
function expectBoth(c: ConditionSpec, s: ReturnType<typeof scope>, expected: boolean) {
  expect(fires(c, s)).toBe(expected);
  expect(fires({ ...c, not: true } as ConditionSpec, s)).toBe(!expected);
}

describe('ipAddress condition', () => {
  it.each([
    ['single, equal', ['10.1.2.3'], '10.1.2.3', true],
    ['single, other', ['10.1.2.3'], '10.1.2.4', false],
    ['CIDR /24 inside', ['192.168.1.0/24'], '192.168.1.200', true],
    ['CIDR /24 outside', ['192.168.1.0/24'], '192.168.2.1', false],
    ['CIDR host bits ignored', ['192.168.1.77/24'], '192.168.1.1', true],
    ['CIDR /0 is everything (with any base address but 0.0.0.0, see below)', ['1.2.3.4/0'], '8.8.8.8', true],
    ['CIDR /32', ['8.8.8.8/32'], '8.8.8.8', true],
    ['netmask inside', ['10.0.0.0/255.0.0.0'], '10.200.3.4', true],
    ['netmask outside', ['10.0.0.0/255.0.0.0'], '11.0.0.1', false],
    ['range low end (inclusive)', ['10.0.0.1-10.0.0.9'], '10.0.0.1', true],
    ['range high end (inclusive)', ['10.0.0.1-10.0.0.9'], '10.0.0.9', true],
    ['range just after', ['10.0.0.1-10.0.0.9'], '10.0.0.10', false],
    ['range with spaces', ['10.0.0.1 - 10.0.0.9'], '10.0.0.5', true],
    ['comma list inside a value', ['1.1.1.1, 10.0.0.0/8'], '10.9.9.9', true],
    ['several values', ['1.1.1.1', '2.2.2.2'], '2.2.2.2', true],
    ['IPv4-mapped client IP', ['10.0.0.0/8'], '::ffff:10.1.1.1', true],
    ['IPv4-mapped client IP, hex form', ['10.0.0.0/8'], '::ffff:a01:101', true],
    ['IPv6 single', ['2001:db8::1'], '2001:db8::1', true],
    ['IPv6 single, other notation', ['2001:db8::1'], '2001:0db8:0:0:0:0:0:1', true],
    ['IPv6 CIDR inside', ['2001:db8::/32'], '2001:db8:ffff::1', true],
    ['IPv6 CIDR outside', ['2001:db8::/32'], '2001:db9::1', false],
    ['IPv6 client vs IPv4 list', ['10.0.0.0/8'], '2001:db8::1', false],
    ['IPv4 client vs IPv6 list', ['2001:db8::/32'], '10.0.0.1', false],
    ['unparseable client IP', ['10.0.0.0/8'], 'not-an-ip', false],
    ['leading zeros in client IP are not IPv4', ['10.0.0.0/8'], '010.0.0.1', false],
    ['no values ⇒ fulfilled', [], '10.0.0.1', true],
  ])('%s', (_name, values, ip, expected) => {
    expectBoth(ipCond(values), scope({ ip }), expected);
  });

  it('searches many ranges by bisection with the same answers as a scan', () => {
    const values = Array.from({ length: 40 }, (_, i) => `10.${i * 5}.0.0/16`);
    for (let i = 0; i < 200; i++) {
      const ip = `10.${i}.3.4`;
      expect(fires(ipCond(values), scope({ ip })), ip).toBe(i % 5 === 0);
    }
  });

  it('an item whose first address is 0.0.0.0 never matches, as on Kaltura (unparseable there)', () => {
    for (const v of ['0.0.0.0', '0.0.0.0/0', '0.0.0.0/255.0.0.0', '0.0.0.0-255.255.255.255']) {
      expect(fires(ipCond([v]), scope({ ip: '8.8.8.8' }))).toBe(false);
      expect(fires({ ...ipCond([v]), not: true } as ConditionSpec, scope({ ip: '8.8.8.8' }))).toBe(true);
    }
    // The other items of the same value still count.
    expect(fires(ipCond(['0.0.0.0/0, 8.8.8.0/24']), scope({ ip: '8.8.8.8' }))).toBe(true);
  });

  it('takes the IP from the configured header (first item) and nothing else', () => {
    const c = ipCond(['192.168.0.0/16'], { httpHeader: 'X-Client-IP' });
    expect(fires(c, scope({ ip: '8.8.8.8', headers: { 'x-client-ip': '192.168.4.4, 8.8.8.8' } }))).toBe(true);
    expect(fires(c, scope({ ip: '192.168.1.1', headers: { 'x-client-ip': '8.8.8.8' } }))).toBe(false);
    // Missing header: the field has no value ⇒ not fulfilled, and `not` inverts that.
    expect(fires(c, scope({ ip: '192.168.1.1' }))).toBe(false);
    expect(fires({ ...c, not: true } as ConditionSpec, scope({ ip: '192.168.1.1' }))).toBe(true);
    // Kaltura's spelling of the same header.
    expect(fires(ipCond(['192.168.0.0/16'], { httpHeader: 'X_CLIENT_IP' }), scope({ ip: '8.8.8.8', headers: { 'x-client-ip': '192.168.4.4' } }))).toBe(true);
  });

  it.each([
    ['garbage', 'x.y.z.w'],
    ['bad CIDR length', '10.0.0.0/33'],
    ['bad CIDR suffix', '10.0.0.0/abc'],
    ['non-contiguous netmask', '10.0.0.0/255.0.255.0'],
    ['reversed range', '10.0.0.9-10.0.0.1'],
    ['IPv6 range', '2001:db8::1-2001:db8::9'],
    ['three-part IPv4', '10.0.1'],
    ['IPv6 zone', 'fe80::1%eth0'],
    ['empty value', ' , '],
  ])('refuses %s at compile time with the path', (_name, bad) => {
    const compile = () => profile([rule({ conditions: [ipCond(['1.2.3.4', bad])] })]);
    expect(compile).toThrow(RuleCompileError);
    try {
      compile();
    } catch (err) {
      expect((err as RuleCompileError).path).toBe('rules[0].conditions[0].values[1]');
    }
  });
});

describe('country condition', () => {
  const country = (values: string[]): ConditionSpec => ({ type: 'country', not: false, values });
  it.each([
    ['listed', ['US', 'CA'], '203.0.113.10', true],
    ['second listed', ['US', 'CA'], '203.0.113.20', true],
    ['not listed', ['US', 'CA'], '198.51.100.10', false],
    ['lower-case and spaces in values', [' us '], '203.0.113.10', true],
    ['IPv6 address', ['GB'], '2001:db8::10', true],
    ['unknown country', ['US'], '10.0.0.1', false],
    ['no values ⇒ fulfilled', [], '10.0.0.1', true],
  ])('%s', (_name, values, ip, expected) => {
    expectBoth(country(values), scope({ ip }), expected);
  });

  it('looks the country up once per evaluation, only when needed', () => {
    const g = fakeGeo();
    const p = profile(
      [
        rule({ conditions: [{ type: 'country', not: false, values: ['US'] }] }),
        rule({ conditions: [{ type: 'country', not: true, values: ['FR'] }] }),
        rule({ conditions: [{ type: 'fieldMatch', not: false, field: { kind: 'country' }, values: ['US'], matchType: 1 }] }),
      ],
      g,
    );
    expect(p.evaluate(scope(), { now: 0 }).fulfilled).toEqual([0, 1, 2]);
    expect(g.calls).toBe(1);
    const none = profile([rule({ conditions: [{ type: 'site', not: false, values: ['x.com'] }] })], g);
    none.evaluate(scope(), { now: 0 });
    expect(g.calls).toBe(1);
  });
});

describe('site condition', () => {
  const site = (values: string[]): ConditionSpec => ({ type: 'site', not: false, values });
  it.each([
    // Kaltura's literal rule: equal, or contains "." + value.
    ['literal, equal host', ['publisher.com'], 'https://publisher.com/page', true],
    ['literal, subdomain', ['publisher.com'], 'https://www.publisher.com/page', true],
    ['literal, deep subdomain', ['publisher.com'], 'http://a.b.publisher.com:8080/x', true],
    ['literal, other domain', ['publisher.com'], 'https://evilpublisher.com/', false],
    ['literal, query mentions the domain', ['publisher.com'], 'https://evil.com/?x=publisher.com', false],
    ['literal, prefix of another domain', ['publisher.com'], 'https://publisher.com.evil.com/', false],
    ['literal, Kaltura contains-rule quirk', ['publisher.com'], 'https://www.publisher.com.evil.com/', true],
    ['literal, userinfo is not the host', ['publisher.com'], 'https://publisher.com@evil.com/', false],
    ['literal, userinfo before the real host', ['publisher.com'], 'https://user:pw@publisher.com/', true],
    ['literal, protocol-relative', ['publisher.com'], '//publisher.com/embed', true],
    ['literal, no scheme', ['publisher.com'], 'publisher.com/embed', true],
    ['literal, upper-case host', ['publisher.com'], 'HTTPS://WWW.PUBLISHER.COM/', true],
    ['literal, upper-case value', ['Publisher.COM'], 'https://publisher.com/', true],
    ['literal, trailing dot', ['publisher.com'], 'https://publisher.com./', true],
    ['literal, fragment and ampersand tails', ['publisher.com'], 'publisher.com&x=1', true],
    ['literal, backslash ends the host', ['publisher.com'], 'https://publisher.com\\@evil.com/', true],
    ['literal, empty referrer', ['publisher.com'], '', false],
    ['empty value matches an empty referrer', [''], '', true],
    // The seed's wildcard: bare domain and any subdomain, anchored at the end.
    ['wildcard, bare domain', ['*.publisher.com'], 'https://publisher.com/', true],
    ['wildcard, subdomain', ['*.publisher.com'], 'https://cdn.www.publisher.com/', true],
    ['wildcard, suffix trick', ['*.publisher.com'], 'https://publisher.com.evil.com/', false],
    ['wildcard, deep suffix trick', ['*.publisher.com'], 'https://www.publisher.com.evil.com/', false],
    ['wildcard, lookalike', ['*.publisher.com'], 'https://evilpublisher.com/', false],
    ['wildcard, query', ['*.publisher.com'], 'https://evil.com/?x=publisher.com', false],
    ['wildcard, userinfo', ['*.publisher.com'], 'https://publisher.com@evil.com/', false],
    ['wildcard, protocol-relative', ['*.publisher.com'], '//publisher.com', true],
    ['several values', ['a.com', '*.publisher.com'], 'https://m.publisher.com/', true],
    ['no values ⇒ fulfilled', [], 'https://anything/', true],
  ])('%s', (_name, values, referrer, expected) => {
    expectBoth(site(values), scope({ referrer }), expected);
  });

  it.each([
    ['https://www.publisher.com/watch?v=1', 'www.publisher.com'],
    ['http://publisher.com:8080', 'publisher.com'],
    ['https://u:p@Host.Example:443/x', 'host.example'],
    ['https://[2001:db8::1]:8443/x', '[2001:db8::1]'],
    ['//cdn.example/x', 'cdn.example'],
    ['example.org/path', 'example.org'],
    ['example.org?x', 'example.org'],
    ['example.org#frag', 'example.org'],
    ['publisher.com/redirect?u=http://evil.com', 'publisher.com'],
    ['  https://spaced.example/', 'spaced.example'],
    ['', ''],
    ['https://', ''],
  ])('referrerHost(%j) = %j', (referrer, host) => {
    expect(referrerHost(referrer)).toBe(host);
  });

  it('compiles values once (lower-case, wildcard split)', () => {
    const m = compileHostValues(['*.A.com', 'b.com.']);
    expect([m('a.com'), m('x.a.com'), m('b.com'), m('x.b.com'), m('c.com')]).toEqual([true, true, true, true, false]);
  });
});
