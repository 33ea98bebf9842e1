/**
 * The one structured event of a delivery denial (STYLE rule 14, oathkeeper's vocabulary): built
 * here and nowhere else, so every denial carries the same fields and none carries a secret. The
 * KS is never part of it (nor the original URI, which may contain one); the client IP is, because
 * IP and country rules decide on it.
 *
 * Logged at `debug`, never `info`: a proxy asks once per viewer request, and refusals are the
 * cheapest requests to send, so one `info` line each lets an anonymous flood fill the disk. Every
 * denial is counted in gatehouse_delivery_decisions_total{context,outcome} (metrics.ts), which is
 * where to watch them; this event says which rule and entry, when you turn debug on to look.
 */
import type { FastifyBaseLogger } from 'fastify';

export interface DenialEvent {
  /** Which door decided: the redirect URLs or forward-auth (and through which proxy convention). */
  door: 'redirect' | 'forward-auth';
  via?: string;
  reason: string;
  /** Index of the blocking rule, null when no rule decided. */
  rule: number | null;
  /** The rule's code, when it has one. */
  code?: string | null;
  partnerId: number | null;
  entryId: string | null;
  context: string;
  clientIp: string;
  method: string;
  status: number;
}

/** Logs one denial at debug; builds nothing when debug is off. */
export function logDenial(log: FastifyBaseLogger, e: Omit<DenialEvent, 'status'>, status: number): void {
  if ((log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('debug') !== true) return;
  log.debug(
    {
      event: 'delivery.decision',
      granted: false,
      reason: e.reason,
      rule: e.rule,
      ...(e.code ? { code: e.code } : {}),
      partnerId: e.partnerId,
      entryId: e.entryId,
      context: e.context,
      door: e.door,
      ...(e.via ? { via: e.via } : {}),
      clientIp: e.clientIp,
      method: e.method,
      status,
    },
    'delivery denied',
  );
}
