/**
 * What the consumer door is built from (by the composition root) and what its route modules
 * are handed, so a route module never imports the plugin back.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../core/clock.js';
import type { CallerPipeline } from '../../../services/pipeline/caller.js';
import type { ConsumerService } from '../../../services/consumers/consumer-service.js';
import type { DeviceRegistration } from '../../../services/consumers/device-registration.js';
import type { ConsumerTokenVerifier } from '../../../services/consumers/verify-consumer-token.js';
import type { SunbirdRequest } from './envelope.js';
import type { GuardDeps } from './guard.js';

export interface ConsumerDoorOptions {
  consumers: ConsumerService;
  devices: DeviceRegistration;
  /** 1 (default): the `/v1/consumer` routes; 2: only `/v2/consumer/{username}/credential/register`. */
  version?: 1 | 2;
  callers: Pick<CallerPipeline, 'run'>;
  tokens: ConsumerTokenVerifier;
  clock: Clock;
  /** GATEHOUSE_API_KEY_IN_QUERY, as for the REST door. */
  apiKeyInQuery: boolean;
  bodyLimit: number;
}

export interface RouteDeps {
  consumers: ConsumerService;
  devices: DeviceRegistration;
  guard: GuardDeps;
  /** Parses the body and remembers its msgid for the error envelope. */
  read(req: FastifyRequest): SunbirdRequest;
  /** Answers 200 with a success envelope; `secret` marks answers that carry a secret (no-store). */
  ok(req: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>, secret?: boolean): FastifyReply;
}
