/** The Kong import parser (core/kong-import): decK JSON and YAML, Sunbird's lists, and everything it reports instead of importing. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ImportInputError, MAX_IMPORT_BYTES, planImport, type ImportPlan } from '../../src/core/kong-import/index.js';

const deck = {
  _format_version: '3.0',
  services: [
    {
      name: 'content',
      url: 'http://content:5000',
      plugins: [{ name: 'jwt' }, { name: 'rate-limiting', config: { hour: 5000, limit_by: 'credential', policy: 'local' } }],
      routes: [
        { name: 'content-create', paths: ['/content/v1/create'], methods: ['POST'], plugins: [{ name: 'acl', config: { allow: ['contentCreate', 'contentAdmin'] } }] },
        { name: 'content-read', paths: ['/content/v1/read'], plugins: [{ name: 'jwt', enabled: false }, { name: 'rate-limiting', enabled: false }] },
        { name: 'content-any', paths: ['/content/v1/any'] },
        { name: 'content-regex', paths: ['~/content/v1/x/\\d+$'] },
        { name: 'content-host', paths: ['/content/v1/host'], hosts: ['api.example.org'], plugins: [{ name: 'acl', config: { allow: ['g'] } }] },
      ],
    },
    { name: 'open', url: 'http://open', routes: [{ name: 'health', paths: ['/health'] }] },
    { name: 'keyed', url: 'http://keyed', plugins: [{ name: 'key-auth' }], routes: [{ name: 'keyed-route', paths: ['/keyed'] }] },
  ],
  routes: [{ name: 'top', service: { name: 'content' }, paths: ['/top'], plugins: [{ name: 'acl', config: { deny: ['banned'] } }] }],
  plugins: [{ name: 'prometheus' }, { name: 'acl', route: 'content-any', config: { allow: ['anyone'] } }, { name: 'rate-limiting', consumer: 'portal', config: { minute: 5 } }],
  consumers: [
    { username: 'portal', acls: [{ group: 'contentCreate' }], jwt_secrets: [{ key: 'portal-key', secret: 'portal-secret' }], keyauth_credentials: [{ key: 'k' }] },
    { username: 'partner', jwt_secrets: [{ key: 'partner-iss', algorithm: 'RS256', rsa_public_key: '-----BEGIN PUBLIC KEY-----\nMII\n-----END PUBLIC KEY-----' }, { key: 'es', algorithm: 'HS512', secret: 'x' }] },
    { custom_id: 'no-name' },
  ],
  acls: [{ consumer: 'partner', group: 'partners' }],
  jwt_secrets: [{ consumer: { username: 'portal' }, key: 'portal-key-2', secret: 'second' }],
  upstreams: [{ name: 'u' }],
};

const byName = (plan: ImportPlan, name: string) => plan.services.find((s) => s.name === name);
const reasons = (plan: ImportPlan, name: string) => plan.skipped.filter((s) => s.name.startsWith(name)).map((s) => s.reason);

describe('planImport: Kong declarative configuration', () => {
  for (const [format, text] of [['JSON', JSON.stringify(deck)], ['YAML', stringify(deck)]] as const) {
    it(`reads decK ${format}: routes with the plugins in effect, consumers with their credentials`, () => {
      const plan = planImport([{ name: `kong.${format}`, text }]);
      expect(byName(plan, 'content-create')).toMatchObject({ routePrefix: '/content/v1/create', methods: ['POST'], access: 'groups', allowedGroups: ['contentCreate', 'contentAdmin'], rateLimits: { hour: 5000, limitBy: 'credential' } });
      // Route-level plugins switched off fall back to… nothing: Kong runs the enabled ones in effect, here the service's jwt and limits.
      expect(byName(plan, 'content-read')).toMatchObject({ access: 'authenticated', allowedGroups: [] });
      expect(byName(plan, 'content-any')).toMatchObject({ access: 'groups', allowedGroups: ['anyone'] });
      expect(byName(plan, 'health')).toMatchObject({ access: 'public', routePrefix: '/health', rateLimits: null });
      expect(byName(plan, 'top')).toMatchObject({ access: 'authenticated', deniedGroups: ['banned'] });
      expect(byName(plan, 'content-regex')).toBeUndefined();
      expect(reasons(plan, 'content-regex')[0]).toMatch(/regex path/);
      expect(reasons(plan, 'content-host')[0]).toMatch(/routing on hosts/);
      expect(reasons(plan, 'keyed-route')[0]).toMatch(/key-auth only/);
      expect(reasons(plan, 'prometheus')[0]).toMatch(/not enforced by Gatehouse/);
      expect(reasons(plan, 'rate-limiting (consumer portal)')[0]).toMatch(/consumer-scoped/);
      expect(reasons(plan, 'upstreams')[0]).toMatch(/not an access rule/);
      const portal = plan.consumers.find((c) => c.username === 'portal');
      expect(portal).toMatchObject({ groups: ['contentCreate'], credentials: [{ key: 'portal-key', algorithm: 'HS256', secret: 'portal-secret' }, { key: 'portal-key-2', secret: 'second' }] });
      expect(reasons(plan, 'portal keyauth_credentials')[0]).toMatch(/not imported/);
      const partner = plan.consumers.find((c) => c.username === 'partner');
      expect(partner).toMatchObject({ groups: ['partners'], credentials: [{ key: 'partner-iss', algorithm: 'RS256' }, { key: 'es', algorithm: 'HS512' }] });
      expect(reasons(plan, 'no-name')[0]).toMatch(/no username/);
    });
  }

  it('refuses what is not a Kong file with a clear message', () => {
    const bad = (text: string) => {
      try {
        planImport([{ name: 'f.yml', text }]);
      } catch (e) {
        expect(e).toBeInstanceOf(ImportInputError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('services: [')).toMatch(/^f\.yml: not valid JSON or YAML/);
    expect(bad('{"_format_version": "1.1",')).toMatch(/not valid JSON or YAML/);
    expect(bad('- a\n- b')).toMatch(/expected a mapping/);
    expect(bad('_format_version: "0.1"\nservices: []')).toMatch(/1\.1 or later/);
    expect(bad('services: []')).toMatch(/needs _format_version/);
    expect(bad('hello: world')).toMatch(/neither Kong/);
    expect(bad('_format_version: "3.0"\nservices: {a: 1}')).toMatch(/services must be a list/);
    expect(bad(`a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]`)).toMatch(/not valid JSON or YAML/);
    expect(bad(`${'['.repeat(200)}${']'.repeat(200)}`)).toMatch(/expected a mapping|nested|not valid/);
    expect(bad(`x: "${'a'.repeat(MAX_IMPORT_BYTES)}"`)).toMatch(/larger than/);
  });
});

describe("planImport: Sunbird's Ansible lists", () => {
  const sunbird = `
statsd_host: monitor
kong_apis:
  - name: createContent
    uris: /content/v1/create
    upstream_url: http://knowledge-mw-service:5000/v1/content/create
    strip_uri: true
    plugins:
    - name: jwt
    - name: cors
    - name: acl
      config.whitelist: contentUpdate, contentAdmin
    - name: rate-limiting
      config.policy: local
      config.hour: "5000"
      config.limit_by: credential
    - name: request-size-limiting
      config.allowed_payload_size: 1
  - name: searchContent
    uris: /content/v1/search
    plugins:
    - name: rate-limiting
      config.hour: 5000
      config.limit_by: ip
  - name: templated
    uris: /content/v1/templated
    plugins:
    - "{{ statsd_pulgin }}"
  - name: regexApi
    uris: /data/v1/(.*)/read
kong_consumers:
  - username: mobile_device
    groups: [contentUser, contentAdmin]
    state: present
  - username: api-management-test-user
    groups: "{{ kong_all_consumer_groups }}"
    state: present
  - username: removed
    state: absent
  - username: player
    groups: [contentUser]
    rate_limits: [{api: createContent, config.hour: 1000}]
`;
  it('imports rendered APIs and consumers, reports templates, regex paths and the rest', () => {
    const plan = planImport([{ name: 'sunbird.yml', text: sunbird }]);
    expect(byName(plan, 'createContent')).toMatchObject({ routePrefix: '/content/v1/create', access: 'groups', allowedGroups: ['contentUpdate', 'contentAdmin'], methods: [], rateLimits: { hour: 5000, limitBy: 'credential' } });
    expect(byName(plan, 'searchContent')).toMatchObject({ access: 'public', rateLimits: { hour: 5000, limitBy: 'ip' } });
    expect(reasons(plan, 'templated')).toEqual(['unrendered template in plugins[0]']);
    expect(reasons(plan, 'regexApi')[0]).toMatch(/regex path/);
    expect(reasons(plan, 'api-management-test-user')).toEqual(['unrendered template in groups']);
    expect(reasons(plan, 'removed')[0]).toMatch(/state absent/);
    expect(reasons(plan, 'player rate_limits')[0]).toMatch(/per-consumer rate limits/);
    expect(reasons(plan, 'statsd_host')[0]).toMatch(/Ansible variables/);
    expect(reasons(plan, 'cors')[0]).toMatch(/not enforced/);
    expect(plan.consumers.map((c) => c.username)).toEqual(['mobile_device', 'player']);
  });

  it('merges files: a consumer in both gets both, one path with other rules is reported', () => {
    const more = stringify({ _format_version: '1.1', services: [{ name: 's', routes: [{ name: 'other', paths: ['/content/v1/create'] }] }], consumers: [{ username: 'mobile_device', acls: [{ group: 'courseUser' }], jwt_secrets: [{ key: 'md', secret: 's' }] }] });
    const plan = planImport([{ name: 'sunbird.yml', text: sunbird }, { name: 'kong.yml', text: more }]);
    expect(plan.consumers.find((c) => c.username === 'mobile_device')).toMatchObject({ groups: ['contentUser', 'contentAdmin', 'courseUser'], credentials: [{ key: 'md' }] });
    expect(reasons(plan, 'other')[0]).toMatch(/one service per path prefix/);
  });
});
