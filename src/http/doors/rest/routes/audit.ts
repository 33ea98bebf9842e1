/** `GET /api/audit`: the audit trail, newest first, filtered by actor, action and time (AUDIT_LOG_READ). */
import { Type } from 'typebox';
import type { AuditEvent } from '../../../../services/model.js';
import { callerOf, guard } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, secondsOf, Timestamp } from '../schemas.js';

const EventSchema = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  partnerId: Nullable(Type.Integer()),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  ip: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const Query = Type.Object({
  ...PageQuery.properties,
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'Exactly this actor (user id, login id, `apikey:<id>`).' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Exactly this action, e.g. `user.update`.' })),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});

const toWire = (e: AuditEvent & { id: number }) => ({ id: e.id, at: new Date(e.atMs).toISOString(), partnerId: e.partnerId, actor: e.actor, action: e.action, target: e.target, outcome: e.outcome, ip: e.clientIp, details: e.detail ?? {} });

/** What these routes use (handed over by the plugin, nothing more). */
type AuditRouteDeps = Pick<RouteDeps, 'auditLog' | 'guard'>;

export function auditRoutes(scope: RestScope, d: AuditRouteDeps): void {
  scope.get(
    '/audit',
    { onRequest: guard(d.guard, { permissions: ['AUDIT_LOG_READ'] }), schema: { tags: ['audit'], security: ANY_CREDENTIAL, summary: 'Audit events, newest first (operators see every partner)', querystring: Query, response: { 200: ListOf(EventSchema), ...problems(400, 401, 403) } } },
    async (req) => {
      const q = req.query;
      const page = pageOf(q);
      const r = await d.auditLog.list(
        callerOf(req).principal,
        { actor: q.actor, action: q.action, fromMs: q.from === undefined ? undefined : secondsOf(q.from, 'from') * 1000, toMs: q.to === undefined ? undefined : Date.parse(q.to) },
        page,
      );
      return listAnswer(r, page, toWire);
    },
  );
}
