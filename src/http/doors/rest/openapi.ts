/**
 * OpenAPI generated from the REST door's route schemas (`@fastify/swagger`), served as JSON at
 * `/docs/json` and as Swagger UI at `/docs`. Only tagged routes are documented: the Kaltura door
 * and the operations endpoints have their own contracts.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Register before the REST door, so its routes are seen as they are added. */
export async function registerOpenApi(app: FastifyInstance, opts: { apiKeyInQuery: boolean }): Promise<void> {
  await app.register(swagger, {
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse REST API',
        version: '1.0.0',
        description:
          'Kala-compatible authentication (access tokens, API keys), the permission catalogue, users and protected services. ' +
          'Answers are `{"data": ...}`; errors are RFC 9457 `application/problem+json` with a catalogue `code`.' +
          (opts.apiKeyInQuery ? '' : ' API keys in the `key` query parameter are disabled on this installation.'),
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /api/auth/access-token.' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          apiKeyQuery: { type: 'apiKey', in: 'query', name: 'key', description: 'Kala compatibility; prefer the header (query strings end up in logs).' },
        },
      },
      tags: [
        { name: 'auth', description: 'Access tokens and their public keys' },
        { name: 'api keys', description: 'Keys for machines: shown once, stored as an HMAC' },
        { name: 'permissions', description: 'The permission catalogue' },
        { name: 'users', description: "The partner's users" },
        { name: 'services', description: 'Protected upstream APIs' },
        { name: 'console', description: 'Who is signed in and what the console may show them' },
        { name: 'partners', description: "The operator's publishers (operators only)" },
        { name: 'roles', description: "The partner's roles" },
        { name: 'app tokens', description: 'Application tokens: integrations mint sessions with them' },
        { name: 'consumers', description: 'API consumers and their credentials (same as /v1/consumer)' },
        { name: 'access control', description: 'Access-control profiles (Kaltura rule shapes) and the simulator' },
        { name: 'entries', description: "The partner's entries (metadata only)" },
        { name: 'audit', description: 'The audit trail' },
      ],
    },
  });
}

/** Register after the routes: the UI at `/docs`, the document at `/docs/json` (and `/docs/yaml`). */
export async function registerDocsUi(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
