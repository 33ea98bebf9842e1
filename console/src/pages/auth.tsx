/** Sign-in, the account picker ("Change Account") and the wrong-account explanation. */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Me } from '../api/types';
import { Disclosure, ErrorText, Field, Notice, PageTitle, useSubmit } from '../components/ui';
import { navigate } from '../router';
import { useMe, useSession } from '../session';
import { SsoGate } from './sso';

/** Where a freshly signed-in identity goes first. */
export function landingOf(me: Me): string {
  if (!me.consoleAccess.allowed) return '/no-access';
  if (me.partners.length > 1) return '/accounts';
  return me.partner.kind === 'operator' ? '/operator/partners' : '/users';
}

export function SignInPage(props: { message: string | null }) {
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [partnerId, setPartnerId] = useState('');
  // Asked after the password, when the server answers OTP_REQUIRED (two-factor codes).
  const [needCode, setNeedCode] = useState(false);
  const [code, setCode] = useState('');
  const { busy, error, run } = useSubmit();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const id = partnerId.trim() === '' ? undefined : Number(partnerId);
      if (id !== undefined && !Number.isInteger(id)) throw new Error('The partner id must be a whole number, such as 100.');
      let me;
      try {
        me = await signIn(username.trim(), password, id, needCode ? code.trim() : undefined);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'OTP_REQUIRED') {
          setNeedCode(true);
          return;
        }
        if (err instanceof ApiError && err.code === 'INVALID_OTP') setCode('');
        throw err;
      }
      // null: the partner requires two-factor codes this login has not set up; the app shows their enrolment.
      if (me) navigate(landingOf(me), { replace: true });
    });
  };

  return (
    <main id="main" className="narrow">
      <PageTitle intro="Operators manage publishers (partners); a partner's admins manage that partner's users, tokens, keys and access control.">
        Sign in to Gatehouse
      </PageTitle>
      {props.message ? <Notice>{props.message}</Notice> : null}
      <form onSubmit={submit} className="card" aria-label="Sign in">
        <Field label="Login id (email)" value={username} onChange={setUsername} required autoComplete="username" name="username" />
        <SsoGate email={username}>
          <Field label="Password" type="password" value={password} onChange={setPassword} required autoComplete="current-password" name="password" />
          {needCode ? (
            <Field
              label="Two-factor code"
              value={code}
              onChange={setCode}
              required
              autoComplete="one-time-code"
              name="otp"
              hint="The 6-digit code your authenticator app shows now, or one of your recovery codes."
            />
          ) : null}
          <Disclosure summary="Sign in to a specific partner" className="plain">
            <Field
              label="Partner id (optional)"
              value={partnerId}
              onChange={setPartnerId}
              name="partnerId"
              hint="Only when your login belongs to several partners; otherwise the last one you used. You can change account after signing in."
            />
          </Disclosure>
          <ErrorText error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </SsoGate>
      </form>
    </main>
  );
}

export function AccountsPage() {
  const me = useMe();
  const { switchPartner } = useSession();
  const { busy, error, run } = useSubmit();
  return (
    <>
      <PageTitle intro="Your login belongs to several partners. Each is a separate account with its own users, tokens and settings: pick the one to work in. You can come back here with “Change account”.">
        Choose an account
      </PageTitle>
      <ErrorText error={error} />
      <ul className="accounts">
        {me.partners.map((p) => {
          const current = p.id === me.partner.id;
          return (
            <li key={p.id}>
              <button
                type="button"
                className={current ? 'primary' : undefined}
                disabled={busy}
                aria-describedby={`acct-${p.id}`}
                onClick={() =>
                  run(async () => {
                    const next = current ? me : await switchPartner(p.id);
                    navigate(next.consoleAccess.allowed ? (next.partner.kind === 'operator' ? '/operator/partners' : '/users') : '/no-access');
                  })
                }
              >
                {current ? `Continue in ${p.name}` : `Open ${p.name}`}
              </button>
              <span id={`acct-${p.id}`} className="hint">
                {p.kind === 'operator' ? 'Operator (admin console)' : 'Publisher'} · partner id {p.id}
                {p.status !== 'active' ? ` · ${p.status}` : ''}
                {current ? ' · signed in now' : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

const FALLBACK: Record<string, string> = {
  NOT_ADMIN: 'This account can sign in to players and apps but cannot manage anything. Ask an admin of this partner to make you an admin, or sign in with your admin login.',
  PARTNER_BLOCKED: 'This partner is blocked. Ask the platform operator to unblock it.',
};

/** Never a blank page: a sentence saying what this account is and where to go instead. */
export function NoAccessPage() {
  const me = useMe();
  const { signOut } = useSession();
  const why = me.consoleAccess.explanation ?? FALLBACK[me.consoleAccess.reason ?? ''] ?? 'This account cannot use the console.';
  const others = me.partners.filter((p) => p.id !== me.partner.id);
  return (
    <>
      <PageTitle>This account cannot use the console</PageTitle>
      <div className="card explanation" role="alert">
        <p>{why}</p>
        <p className="hint">
          Signed in as <strong>{me.user.email || me.user.id}</strong> in partner <strong>{me.partner.name}</strong> (id {me.partner.id}).
        </p>
      </div>
      {others.length > 0 ? (
        <p>
          Your login also belongs to other partners: <button type="button" onClick={() => navigate('/accounts')}>Change account</button>
        </p>
      ) : null}
      <p>
        <button type="button" className="primary" onClick={() => signOut()}>
          Sign out and use another login
        </button>
      </p>
    </>
  );
}
