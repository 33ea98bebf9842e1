/**
 * `POST /api/access-control-profiles/simulate`: what a viewer described by the caller would get
 * (allowed or not, messages, actions) and which rules fired and why, per rule and condition.
 * Read-only, so ACCESS_CONTROL_BASE suffices.
 */
import { Type } from 'typebox';
import { ContextType } from '../../../../core/access/model.js';
import { callerOf, guard, metaOf } from '../guard.js';
import { decodeKalturaRules, encodeKalturaAction } from '../kaltura-rules.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, Nullable, problems, secondsOf, Timestamp } from '../schemas.js';
import { KalturaAnswerObject, KalturaRules } from './access-control.js';


const Body = Type.Object(
  {
    entryId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "Evaluate this entry's profile (its own, else the partner default) with the entry's dates and metadata." })),
    profileId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Evaluate a saved profile.' })),
    rules: Type.Optional(KalturaRules),
    context: Type.Optional(Type.Union([Type.Literal('PLAY'), Type.Literal('DOWNLOAD'), Type.Literal('THUMBNAIL'), Type.Literal('METADATA'), Type.Literal('EXPORT'), Type.Literal('SERVE')], { description: 'Default PLAY.' })),
    ip: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Default: your own address.' })),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Forces the country (ISO 3166-1 alpha-2) instead of the geo lookup of `ip`.' })),
    referrer: Type.Optional(Type.String({ maxLength: 2048 })),
    userAgent: Type.Optional(Type.String({ maxLength: 1024 })),
    ks: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: "A KS of your partner to evaluate as (validated like a request's)." })),
    session: Type.Optional(
      Type.Object(
        {
          type: Type.Union([Type.Literal('none'), Type.Literal('user'), Type.Literal('admin')]),
          privileges: Type.Optional(Type.String({ maxLength: 4096, description: 'e.g. enableentitlement,privacycontext:MEDIASPACE' })),
          userId: Type.Optional(Type.String({ maxLength: 256, description: "The user the session names: entitlement reads this user's category memberships." })),
        },
        { additionalProperties: false },
      ),
    ),
    time: Type.Optional(Timestamp),
  },
  { additionalProperties: false, description: 'Exactly one of entryId, profileId and rules.' },
);

const ConditionTrace = Type.Object({ index: Type.Integer(), type: Type.String(), not: Type.Boolean(), fulfilled: Type.Boolean({ description: 'After `not`.' }), why: Type.String() });
const RuleTrace = Type.Object({
  index: Type.Integer(),
  fired: Type.Boolean(),
  skipped: Type.Optional(Type.Union([Type.Literal('context'), Type.Literal('admin'), Type.Literal('stopped')])),
  conditions: Type.Array(ConditionTrace),
});
const Answer = Type.Object({
  data: Type.Object({
    allowed: Type.Boolean({ description: 'Scheduled (or an ADMIN session), no fired rule blocks, and entitled to the entry.' }),
    isScheduledNow: Type.Boolean(),
    messages: Type.Array(Type.String()),
    actions: Type.Array(KalturaAnswerObject('KalturaAccessControlBlockAction', 'The fired rules\' actions, in order (Kaltura shapes).')),
    rules: Type.Array(RuleTrace),
    country: Nullable(Type.String()),
    ip: Type.String(),
    profileId: Nullable(Type.Integer({ description: 'The saved profile evaluated; null for unsaved rules.' })),
    entitlement: Type.Optional(
      Type.Object(
        {
          applies: Type.Boolean({ description: 'Entitlement is enforced for this session and entry.' }),
          entitled: Type.Boolean(),
          why: Type.String({ description: 'The decision in words, e.g. "ana is a member of Courses>Course 101 (MEDIASPACE) via parent Courses".' }),
        },
        { description: "Only when an entry is simulated: the entitlement step (categories' privacy, contexts and members)." },
      ),
    ),
  }),
});

/** What these routes use (handed over by the plugin, nothing more). */
type SimulateRouteDeps = Pick<RouteDeps, 'guard' | 'nowSec' | 'simulator'>;

export function simulateRoutes(scope: RestScope, d: SimulateRouteDeps): void {
  scope.post(
    '/access-control-profiles/simulate',
    {
      onRequest: guard(d.guard, { permissions: ['ACCESS_CONTROL_BASE'] }),
      schema: { tags: ['access control'], security: ANY_CREDENTIAL, summary: 'Simulate a decision and trace which rules fired and why', body: Body, response: { 200: Answer, ...problems(400, 401, 403, 404) } },
    },
    async (req) => {
      const b = req.body;
      const nowSec = d.nowSec();
      const r = await d.simulator.simulate(
        callerOf(req).principal,
        {
          entryId: b.entryId,
          profileId: b.profileId,
          rules: b.rules === undefined ? undefined : decodeKalturaRules(b.rules, nowSec),
          context: ContextType[b.context ?? 'PLAY'],
          ip: b.ip,
          country: b.country,
          referrer: b.referrer,
          userAgent: b.userAgent,
          ks: b.ks,
          session: b.session,
          time: b.time === undefined ? undefined : secondsOf(b.time, 'time'),
        },
        metaOf(req),
      );
      const e = r.explanation;
      return {
        data: {
          allowed: r.allowed,
          isScheduledNow: r.isScheduledNow,
          messages: e.decision.messages,
          actions: e.decision.actions.map(encodeKalturaAction),
          rules: e.rules,
          country: e.country,
          ip: r.ip,
          profileId: r.profileId,
          ...(r.entitlement ? { entitlement: r.entitlement } : {}),
        },
      };
    },
  );
}
