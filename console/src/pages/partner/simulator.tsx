/**
 * The simulator: runs the access decision (getContextData) for an entry, a saved profile or
 * unsaved rules with a chosen viewer, and shows the verdict with a per-rule, per-condition trace.
 */
import { useState, type FormEvent } from 'react';
import { getPage, send } from '../../api/client';
import type { EntitlementVerdict, KObject, Profile, Simulation } from '../../api/types';
import { ErrorText, Field, PageTitle, Select, useLoad, useSubmit } from '../../components/ui';
import { CONTEXTS, labelOf } from '../../rules/model';

type Target = { kind: 'entry' } | { kind: 'profile' } | { kind: 'rules'; rules: () => KObject[] };

export function SimulatorPage() {
  return (
    <>
      <PageTitle intro="Ask “may this viewer play this entry?” without a player: pick an entry or a profile and describe the viewer. The trace shows which rules fired and why and, for an entry, whether the user is entitled to it (categories, privacy contexts, members).">Simulator</PageTitle>
      <Simulator />
    </>
  );
}

const SKIPPED: Record<string, string> = { context: 'not in this context', admin: 'ADMIN session (rule not forced)', stopped: 'an earlier rule stopped processing' };

export function Simulator(props: { rules?: () => KObject[]; heading?: string }) {
  const fixed: Target | null = props.rules ? { kind: 'rules', rules: props.rules } : null;
  const [kind, setKind] = useState<'entry' | 'profile'>('profile');
  const [entryId, setEntryId] = useState('');
  const [profileId, setProfileId] = useState('');
  const [context, setContext] = useState('PLAY');
  const [ip, setIp] = useState('');
  const [country, setCountry] = useState('');
  const [referrer, setReferrer] = useState('');
  const [userAgent, setUserAgent] = useState('');
  const [sessionType, setSessionType] = useState('none');
  const [privileges, setPrivileges] = useState('');
  const [userId, setUserId] = useState('');
  const [ks, setKs] = useState('');
  const [time, setTime] = useState('');
  const [result, setResult] = useState<Simulation | null>(null);
  const profiles = useLoad(() => (fixed ? Promise.resolve(null) : getPage<Profile>('/access-control-profiles', { pageSize: 500 })), []);
  const { busy, error, run } = useSubmit();
  const profileOptions: Array<[string, string]> = [['', 'Choose a profile'], ...(profiles.data?.data ?? []).map((p): [string, string] => [String(p.id), `${p.name}${p.isDefault ? ' (default)' : ''}`])];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = { context };
      const target = fixed ?? { kind };
      if (target.kind === 'rules') body.rules = target.rules();
      else if (target.kind === 'entry') {
        if (!entryId.trim()) throw new Error('Enter the entry id to simulate.');
        body.entryId = entryId.trim();
      } else {
        if (!profileId) throw new Error('Choose the profile to simulate.');
        body.profileId = Number(profileId);
      }
      if (ip.trim()) body.ip = ip.trim();
      if (country.trim()) body.country = country.trim().toUpperCase();
      if (referrer.trim()) body.referrer = referrer.trim();
      if (userAgent.trim()) body.userAgent = userAgent.trim();
      if (ks.trim()) body.ks = ks.trim();
      else if (sessionType !== 'none' || privileges.trim() || userId.trim()) {
        body.session = { type: sessionType, ...(privileges.trim() ? { privileges: privileges.trim() } : {}), ...(userId.trim() ? { userId: userId.trim() } : {}) };
      }
      if (time) body.time = new Date(time).toISOString();
      setResult(await send<Simulation>('POST', '/access-control-profiles/simulate', body));
    });
  };

  return (
    <section aria-labelledby="sim-head" className="card">
      <h2 id="sim-head">{props.heading ?? 'Simulate a viewer'}</h2>
      <form onSubmit={submit} aria-label="Simulate a viewer">
        {fixed ? (
          <p className="hint">Runs the rules as they are in the editor above, saved or not.</p>
        ) : (
          <div className="grid3">
            <Select label="Decide for" value={kind} onChange={(v) => setKind(v as 'entry' | 'profile')} options={[['profile', 'A profile'], ['entry', 'An entry (its profile and schedule)']]} />
            {kind === 'entry' ? <Field label="Entry id" value={entryId} onChange={setEntryId} hint="e.g. 0_ab12cd34" /> : <Select label="Profile" value={profileId} onChange={setProfileId} options={profileOptions} />}
          </div>
        )}
        <div className="grid3">
          <Select label="Context" value={context} onChange={setContext} options={CONTEXTS.map(([, code, label]) => [code, label])} />
          <Field label="Viewer IP" value={ip} onChange={setIp} hint="Default: your own address." />
          <Field label="Country (overrides the IP lookup)" value={country} onChange={setCountry} hint="Two letters, e.g. DE." />
          <Field label="Referrer" value={referrer} onChange={setReferrer} hint="e.g. https://www.example.com/watch" />
          <Field label="User agent" value={userAgent} onChange={setUserAgent} />
          <Select label="Session" value={sessionType} onChange={setSessionType} options={[['none', 'No session'], ['user', 'USER session'], ['admin', 'ADMIN session']]} />
          <Field label="Session privileges" value={privileges} onChange={setPrivileges} hint="e.g. sview:* or enableentitlement,privacycontext:MEDIASPACE" />
          <Field label="User id" value={userId} onChange={setUserId} hint="The user the session names: entitlement reads their category memberships." />
          <Field label="At time" type="datetime-local" value={time} onChange={setTime} hint="Default: now." />
          <Field label="Or a real KS" value={ks} onChange={setKs} hint="Evaluate as this session of your partner instead (overrides session and privileges)." />
        </div>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Simulate
        </button>
      </form>
      {result ? <SimulationResult r={result} /> : null}
    </section>
  );
}

/** The entitlement step for a simulated entry: enforced or not, the verdict, and why in words. */
function EntitlementFacts(props: { e: EntitlementVerdict }) {
  const e = props.e;
  return (
    <>
      <dt>Entitlement</dt>
      <dd>
        <span className={`badge ${!e.applies || e.entitled ? 'yes' : 'no'}`}>{!e.applies ? 'not enforced' : e.entitled ? 'entitled' : 'not entitled'}</span>
      </dd>
      <dt>Why (entitlement)</dt>
      <dd className="entitlement-why">{e.why}</dd>
    </>
  );
}

function SimulationResult(props: { r: Simulation }) {
  const r = props.r;
  return (
    <div aria-live="polite" className="sim-result">
      <p className={`verdict ${r.allowed ? 'allowed' : 'blocked'}`} role="status">
        {r.allowed ? 'Allowed' : 'Blocked'}
      </p>
      <dl className="facts">
        <dt>Viewer</dt>
        <dd>
          IP {r.ip || '—'} · country {r.country || 'unknown'}
        </dd>
        <dt>Scheduled now</dt>
        <dd>{r.isScheduledNow === false ? 'no (outside the entry’s start/end dates)' : 'yes'}</dd>
        <dt>Messages</dt>
        <dd>{r.messages.length ? r.messages.join(' · ') : '—'}</dd>
        <dt>Actions</dt>
        <dd>{r.actions.length ? r.actions.map((a) => labelOf(a.objectType)).join(', ') : 'none'}</dd>
        {r.entitlement ? <EntitlementFacts e={r.entitlement} /> : null}
      </dl>
      <table>
        <caption>Rule trace</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Fired</th>
            <th scope="col">Condition</th>
            <th scope="col">Fulfilled</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {r.rules.length === 0 ? (
            <tr>
              <td colSpan={5}>No rules: everyone is allowed.</td>
            </tr>
          ) : null}
          {r.rules.flatMap((rule) => {
            const head = (
              <td rowSpan={Math.max(1, rule.conditions.length)}>
                {rule.index + 1}
                {rule.skipped ? <div className="hint">skipped: {SKIPPED[rule.skipped] ?? rule.skipped}</div> : null}
              </td>
            );
            const fired = (
              <td rowSpan={Math.max(1, rule.conditions.length)}>
                {rule.fired ? 'yes' : 'no'}
              </td>
            );
            if (rule.conditions.length === 0) {
              return [
                <tr key={`${rule.index}`}>
                  {head}
                  {fired}
                  <td colSpan={3}>{rule.skipped ? '—' : 'no conditions (always applies)'}</td>
                </tr>,
              ];
            }
            return rule.conditions.map((c, i) => (
              <tr key={`${rule.index}-${c.index}`}>
                {i === 0 ? head : null}
                {i === 0 ? fired : null}
                <td>
                  {c.index + 1}. {c.not ? 'NOT ' : ''}
                  {c.type}
                </td>
                <td className={c.fulfilled ? 'yes' : undefined}>{c.fulfilled ? 'yes' : 'no'}</td>
                <td>{c.why}</td>
              </tr>
            ));
          })}
        </tbody>
      </table>
    </div>
  );
}
