/**
 * `POST /api/import/kong[?dryRun=true]`: a Kong set-up (decK / kong.yml, or Sunbird's Ansible
 * lists) imported into the caller's partner (services/import/kong-import.ts). The body is the file
 * itself, `application/json` or YAML (`application/yaml`), read as text on this route only and
 * bounded; a file that cannot be read is a 400 naming the problem. Needs both CONSUMER_MANAGE and
 * SERVICE_MANAGE (it writes consumers, credentials and services).
 */
import { Type } from 'typebox';
import { E, fail } from '../../../../core/errors/index.js';
import { ImportInputError, MAX_IMPORT_BYTES } from '../../../../core/kong-import/index.js';
import type { KongImport } from '../../../../services/import/kong-import.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, problems } from '../schemas.js';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const Outcome = Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged'), Type.Literal('skipped')]);
const Summary = Type.Object({
  dryRun: Type.Boolean(),
  counts: Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), skipped: Type.Integer() }),
  items: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('service'), Type.Literal('consumer'), Type.Literal('credential')]),
      name: Type.String(),
      outcome: Outcome,
      changes: Type.Optional(Type.Array(Type.String())),
      reason: Type.Optional(Type.String()),
      source: Type.String(),
    }),
  ),
  notImported: Type.Array(Type.Object({ kind: Type.String(), name: Type.String(), reason: Type.String(), source: Type.String() }), { description: 'What the file holds that Gatehouse does not represent, each with its reason.' }),
});

type ImportRouteDeps = Pick<RouteDeps, 'guard'> & { kongImport: KongImport };

export function importRoutes(scope: RestScope, d: ImportRouteDeps): void {
  // Its own scope: the body is taken as text (JSON or YAML) on this route only.
  void scope.register(async (s: RestScope) => {
    s.removeAllContentTypeParsers();
    s.addContentTypeParser(['application/json', ...YAML_TYPES], { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));
    s.setErrorHandler((err, _req, _reply) => {
      // The door's handler words the rest; the limit here is this route's, not the door's.
      if ((err as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw fail(E.REQUEST_TOO_LARGE, { MAX_LEN: MAX_IMPORT_BYTES });
      throw err;
    });
    s.post(
      '/import/kong',
      {
        onRequest: [guard(d.guard, { permissions: ['CONSUMER_MANAGE'] }), guard(d.guard, { permissions: ['SERVICE_MANAGE'] })],
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          tags: ['services'],
          security: ANY_CREDENTIAL,
          summary: "Import Kong's declarative configuration or Sunbird's kong_apis / kong_consumers",
          description: 'The body is the file (application/json, or YAML as application/yaml). Idempotent; `dryRun=true` answers what would change and writes nothing.',
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
          response: { 200: Summary, ...problems(400, 401, 403, 413) },
        },
      },
      async (req) => {
        const text = typeof req.body === 'string' ? req.body : '';
        if (!text.trim()) throw fail(E.INVALID_REQUEST, { DETAIL: 'the body is empty: send the configuration file' });
        const p = callerOf(req).principal;
        try {
          return await d.kongImport.run({ partnerId: p.partnerId, actor: p.userId, clientIp: metaOf(req).clientIp, dryRun: req.query.dryRun === true, files: [{ name: 'body', text }] });
        } catch (e) {
          if (e instanceof ImportInputError) throw fail(E.INVALID_REQUEST, { DETAIL: e.message });
          throw e;
        }
      },
    );
  });
}
