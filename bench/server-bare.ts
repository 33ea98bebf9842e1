/**
 * The baseline server: a minimal Fastify app with one POST route answering a small JSON object (and,
 * for bench/delivery.ts, a GET /authz/delivery answering an empty 200),
 * run as its own process exactly like server-gatehouse.ts. Prints `{"port":N}` once listening.
 * With the argument `plumbing` (used by `--profile`) it also gets Gatehouse's per-request plumbing,
 * the pino logger at level silent and the Prometheus onResponse hook, so the cost of the door
 * itself can be told apart from the cost of the Fastify set-up around it.
 */
import Fastify from 'fastify';
import { loggerOptions } from '../src/http/logger.js';
import { createMetricsRegistry, registerOps } from '../src/http/ops.js';
import { SESSION_GET_PATH } from './provision.js';
import { serveUntilSignalled } from './serve-child.js';

const plumbing = process.argv[2] === 'plumbing';
// Same route path and JSON body as the Gatehouse run; Fastify's default JSON parser reads the body
// and the default serializer writes the reply, as a "bare route" has it.
const app = Fastify({ logger: plumbing ? loggerOptions('silent') : false });
if (plumbing) registerOps(app, { registry: createMetricsRegistry(), ready: async () => ({ ok: true, checks: {} }) });
app.post(SESSION_GET_PATH, async (req) => {
  const body = req.body as { ks?: unknown };
  return { objectType: 'KalturaSessionInfo', ok: typeof body.ks === 'string' };
});

// bench/delivery.ts's baseline: the forward-auth path answered 200 with an empty body, headers unread.
app.get('/authz/delivery', async (_req, reply) => reply.code(200).send());

await serveUntilSignalled(app, () => app.close());
