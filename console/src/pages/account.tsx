/**
 * "My account": what every signed-in person manages of their own — their password (the current
 * one and a new one, with the rules shown), their two-factor codes, and their sign-ins as the audit
 * log recorded them. Reachable by every user, the operator and accounts without console access
 * included (an administrator is not needed to change one's own password).
 */
import { useState, type FormEvent } from 'react';
import { ApiError, getData, getPage, request } from '../api/client';
import type { PasswordPolicy, SignInEvent } from '../api/types';
import { ErrorText, Field, Loading, Notice, Pager, PageTitle, useLoad, useSubmit, when } from '../components/ui';
import { useMe } from '../session';
import { TwoFactorSection } from './two-factor';

const PAGE_SIZE = 10;

/** Audit actions in words, for a person reading their own history. */
const ACTIONS: Record<string, string> = {
  'auth.accessToken': 'Signed in with a password (console or API)',
  'auth.sso': 'Signed in at the identity provider',
  'auth.sso.token': 'Single sign-on completed',
  'auth.switchPartner': 'Changed account',
  'user.loginByLoginId': 'Signed in with a password (Kaltura API)',
  'user.loginByKs': 'Changed account (Kaltura API)',
  'partner.getSecrets': "Read the partner's secrets with a password",
  'user.updateLoginData': 'Changed login data (Kaltura API)',
  'adminUser.updatePassword': 'Changed password (Kaltura API)',
  'me.password': 'Changed password',
};

function ChangePassword() {
  const me = useMe();
  const policy = useLoad(() => getData<PasswordPolicy>('/me/password-policy'), []);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState('');
  const { busy, error, run } = useSubmit();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    void run(async () => {
      if (next !== again) throw new Error('The new password and its confirmation differ: type the same new password twice.');
      try {
        await request('POST', '/me/password', { currentPassword: current, newPassword: next });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'WRONG_OLD_PASSWORD') {
          setCurrent('');
          throw new Error('Your current password is not right, so nothing was changed. Wrong tries count towards locking your login for a while.', { cause: err });
        }
        throw err;
      }
      setCurrent('');
      setNext('');
      setAgain('');
      setDone('Password changed. Use the new one the next time you sign in.');
    });
  };

  return (
    <section aria-labelledby="password-head">
      <h2 id="password-head">Password</h2>
      {done ? <Notice>{done}</Notice> : null}
      <form className="card" aria-label="Change your password" onSubmit={submit}>
        {/* The login id lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={me.user.email} />
        <Field label="Current password" type="password" value={current} onChange={setCurrent} required autoComplete="current-password" name="current-password" />
        <Field label="New password" type="password" value={next} onChange={setNext} required autoComplete="new-password" name="new-password" />
        <Field label="New password again" type="password" value={again} onChange={setAgain} required autoComplete="new-password" name="new-password-again" />
        <div className="hint" id="password-policy">
          <p>A new password must be:</p>
          {policy.data ? (
            <ul aria-label="Password rules">
              {policy.data.rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
              <li>Not one of your recent passwords.</li>
            </ul>
          ) : (
            <ErrorText error={policy.error} />
          )}
        </div>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}

function SignIns() {
  const [pageIndex, setPageIndex] = useState(1);
  const list = useLoad(() => getPage<SignInEvent>('/me/sign-ins', { pageIndex, pageSize: PAGE_SIZE }), [pageIndex]);
  return (
    <section aria-labelledby="sign-ins-head">
      <h2 id="sign-ins-head">Your sign-ins</h2>
      <p className="hint">Sign-ins and password changes of your login, in every partner it belongs to, newest first. Something you do not recognise? Change your password and tell an administrator.</p>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <table>
            <caption className="sr-only">Your sign-ins</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Outcome</th>
                <th scope="col">From</th>
                <th scope="col">Partner</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at)}</td>
                  <td>
                    {ACTIONS[e.action] ?? e.action}
                    {typeof e.details.reason === 'string' ? <div className="hint">{e.details.reason}</div> : null}
                  </td>
                  <td>
                    <span className={`badge ${e.outcome === 'success' ? 'active' : 'blocked'}`}>{e.outcome}</span>
                  </td>
                  <td className="mono">{e.ip || '—'}</td>
                  <td>{e.partnerId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="Sign-ins" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
        </>
      ) : null}
    </section>
  );
}

export function AccountPage() {
  const me = useMe();
  return (
    <>
      <PageTitle intro={`Signed in as ${me.user.email || me.user.id}. What you change here is your own login's, in every partner it belongs to.`}>My account</PageTitle>
      <ChangePassword />
      <TwoFactorSection />
      <SignIns />
    </>
  );
}
