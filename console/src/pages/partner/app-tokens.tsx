/**
 * App tokens (seed 000): what an integration's sessions may be, baked into a token whose value is
 * shown once. The privilege options are the seed's: role, widget session, entitlement, URI
 * restriction, privacy context, expiry, session user.
 */
import { useState, type FormEvent } from 'react';
import { getPage, send } from '../../api/client';
import type { AppToken, AppTokenCreated } from '../../api/types';
import { Check, ConfirmButton, Disclosure, ErrorText, Field, Loading, OnceBox, Pager, PageTitle, SecretOnce, Select, useLoad, useSubmit, when } from '../../components/ui';
import { useRoles } from './users';

const PAGE_SIZE = 25;

interface Form {
  description: string;
  sessionType: 'user' | 'admin';
  sessionUserId: string;
  sessionDuration: string;
  expiry: string;
  hashType: string;
  roleId: string;
  privacyContext: string;
  entitlement: boolean;
  widget: boolean;
  uriRestrict: string;
  extra: string;
}

const EMPTY: Form = { description: '', sessionType: 'user', sessionUserId: '', sessionDuration: '86400', expiry: '', hashType: 'SHA256', roleId: '', privacyContext: '', entitlement: false, widget: false, uriRestrict: '', extra: '' };

/** The seed's options as Kaltura privileges (`setrole` comes from `roleId`, added by the server). */
export function privilegesOf(f: Pick<Form, 'privacyContext' | 'entitlement' | 'widget' | 'uriRestrict' | 'extra'>): string {
  const out: string[] = [];
  if (f.privacyContext.trim()) out.push(`privacycontext:${f.privacyContext.trim()}`);
  if (f.entitlement) out.push('enableentitlement');
  if (f.widget) out.push('widget:1');
  if (f.uriRestrict.trim()) out.push(`urirestrict:${f.uriRestrict.trim()}`);
  for (const p of f.extra.split(',')) if (p.trim()) out.push(p.trim());
  return out.join(',');
}

export function AppTokensPage() {
  const [pageIndex, setPageIndex] = useState(1);
  const [created, setCreated] = useState<AppTokenCreated | null>(null);
  const list = useLoad(() => getPage<AppToken>('/app-tokens', { pageIndex, pageSize: PAGE_SIZE }), [pageIndex]);
  return (
    <>
      <PageTitle intro="An app token lets an integration (an LMS plug-in, a caption vendor) start its own sessions without your admin secret. Revoking a token ends every session started from it.">
        App tokens
      </PageTitle>
      {created ? (
        <OnceBox title={`App token ${created.id} created`} onDone={() => setCreated(null)}>
          <SecretOnce label="Token value" value={created.token} />
          <p className="hint">
            The integration needs the token id <code>{created.id}</code>, this value and your partner id; it proves possession with {created.hashType}(widget KS + token).
          </p>
        </OnceBox>
      ) : (
        <CreateToken
          onCreated={(t) => {
            setCreated(t);
            list.reload();
          }}
        />
      )}
      <section aria-labelledby="tokens-list">
        <h2 id="tokens-list">Tokens</h2>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <>
            <table>
              <caption className="sr-only">App tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Description</th>
                  <th scope="col">Session</th>
                  <th scope="col">Privileges</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((t) => (
                  <tr key={t.id}>
                    <td className="mono">{t.id}</td>
                    <td>{t.description || '—'}</td>
                    <td>
                      {t.sessionType ?? 'user'}
                      {t.sessionUserId ? ` as ${t.sessionUserId}` : ''}
                      <div className="hint">
                        {Math.round(t.sessionDuration / 60)} min · {t.hashType}
                      </div>
                    </td>
                    <td className="perms mono">{t.sessionPrivileges || '—'}</td>
                    <td>{t.expiry ? when(t.expiry) : 'never'}</td>
                    <td>
                      <ConfirmButton
                        label="Revoke"
                        what={t.description || t.id}
                        danger
                        title={`Revoke app token ${t.id}?`}
                        confirmLabel="Revoke token"
                        onConfirm={async () => {
                          await send('DELETE', `/app-tokens/${encodeURIComponent(t.id)}`);
                          list.reload();
                        }}
                      >
                        <p>The token is deleted and every session started from it stops working at once, on every node. The integration needs a new token.</p>
                      </ConfirmButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list.data.data.length === 0 ? <p>No app tokens yet.</p> : null}
            <Pager label="App tokens" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
          </>
        ) : null}
      </section>
    </>
  );
}

function CreateToken(props: { onCreated: (t: AppTokenCreated) => void }) {
  const [f, setF] = useState<Form>(EMPTY);
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setF((s) => ({ ...s, [k]: v }));
  const roles = useRoles();
  const { busy, error, run } = useSubmit();
  const privileges = privilegesOf(f);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = { sessionType: f.sessionType, hashType: f.hashType };
      if (f.description.trim()) body.description = f.description.trim();
      if (f.sessionUserId.trim()) body.sessionUserId = f.sessionUserId.trim();
      if (f.sessionDuration.trim()) {
        const n = Number(f.sessionDuration);
        if (!Number.isInteger(n) || n < 0) throw new Error('Session duration must be a whole number of seconds.');
        body.sessionDuration = n;
      }
      if (f.expiry) body.expiry = new Date(f.expiry).toISOString();
      if (f.roleId) body.roleId = Number(f.roleId);
      if (privileges) body.sessionPrivileges = privileges;
      const t = await send<AppTokenCreated>('POST', '/app-tokens', body);
      setF(EMPTY);
      props.onCreated(t);
    });
  };

  return (
    <Disclosure summary="Create an app token">
      <form onSubmit={submit} aria-label="Create an app token">
        <p className="hint">
          A USER session reaches only its own user's content; most integrations need ADMIN. Narrow an ADMIN token with a role, a session user, a URI restriction and an expiry.
        </p>
        <div className="grid3">
          <Field label="Description" value={f.description} onChange={set('description')} hint="e.g. LMS integration" />
          <Select label="Session type" value={f.sessionType} onChange={(v) => set('sessionType')(v as Form['sessionType'])} options={[['user', 'USER (own content only)'], ['admin', 'ADMIN']]} />
          <Select
            label="Role"
            value={f.roleId}
            onChange={set('roleId')}
            options={[['', 'No role (all the session type allows)'], ...(roles.data ?? []).map((r): [string, string] => [String(r.id), r.name])]}
            hint="Sessions get this role's permissions and nothing else (setrole)."
          />
          <Field label="Session user" value={f.sessionUserId} onChange={set('sessionUserId')} hint="Actions are recorded as this user, who cannot be changed." />
          <Field label="Session duration (seconds)" type="number" value={f.sessionDuration} onChange={set('sessionDuration')} />
          <Field label="Token expiry" type="datetime-local" value={f.expiry} onChange={set('expiry')} hint="Empty: never expires." />
          <Field label="Privacy context" value={f.privacyContext} onChange={set('privacyContext')} hint="e.g. MEDIASPACE" />
          <Field label="URI restriction" value={f.uriRestrict} onChange={set('uriRestrict')} hint="e.g. /api_v3/service/media/*" />
          <Select label="Hash type" value={f.hashType} onChange={set('hashType')} options={[['SHA256', 'SHA256'], ['SHA512', 'SHA512'], ['SHA1', 'SHA1'], ['MD5', 'MD5']]} />
        </div>
        <Check label="Enforce entitlement (enableentitlement)" checked={f.entitlement} onChange={set('entitlement')} />
        <Check label="Widget (player) session (widget:1)" checked={f.widget} onChange={set('widget')} />
        <Field label="Other privileges" value={f.extra} onChange={set('extra')} hint="Comma-separated, e.g. sview:*,disableentitlement" />
        <p className="hint">
          Privileges: <code>{privileges || '(none)'}</code>
        </p>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create token
        </button>
      </form>
    </Disclosure>
  );
}
