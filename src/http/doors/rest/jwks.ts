/** `GET /.well-known/jwks.json`: the access-token public keys where JWT libraries look by default. */
import type { FastifyInstance } from 'fastify';
import type { AccessTokenService } from '../../../services/auth/access-tokens.js';
import { JwksSchema } from './routes/auth.js';

export async function wellKnownJwks(app: FastifyInstance, opts: { tokens: AccessTokenService }): Promise<void> {
  app.get('/.well-known/jwks.json', { schema: { tags: ['auth'], summary: 'The access-token JWKS (same as /api/auth/jwks.json)', response: { 200: JwksSchema } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return opts.tokens.jwks();
  });
}
