/**
 * Two-factor codes: the signed-in user's "Two-factor" section of My account (set up, remove), and the enrolment a
 * login is taken to right after its password when its partner requires codes it has not set up.
 */
import { useState, type FormEvent } from 'react';
import { getData, request } from '../api/client';
import type { TwoFactorConfirmed, TwoFactorStarted, TwoFactorStatus } from '../api/types';
import { ErrorText, Field, Loading, Notice, OnceBox, PageTitle, useLoad, useSubmit } from '../components/ui';
import { navigate } from '../router';
import { useSession } from '../session';
import { landingOf } from './auth';

const CODE_HINT = 'The 6-digit code your authenticator app shows now.';

/**
 * Start → scan the QR code (or type the secret) → confirm with a first code. `token` is the
 * enrolment token when the user is not signed in yet; otherwise the session's token is used.
 */
function SetUp(props: { token?: string; onConfirmed: (c: TwoFactorConfirmed) => void }) {
  const [started, setStarted] = useState<TwoFactorStarted | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, run } = useSubmit();
  const opts = props.token ? { token: props.token } : {};

  const start = () =>
    run(async () => {
      setStarted((await request<{ data: TwoFactorStarted }>('POST', '/me/two-factor', undefined, opts)).data);
    });
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const confirmed = (await request<{ data: TwoFactorConfirmed }>('POST', '/me/two-factor/confirm', { code: code.trim() }, opts)).data;
      props.onConfirmed(confirmed);
    });
  };

  if (!started) {
    return (
      <div className="card">
        <p>You will need an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator, FreeOTP or 1Password).</p>
        <ErrorText error={error} />
        <button type="button" className="primary" disabled={busy} onClick={() => void start()}>
          {busy ? 'Starting…' : 'Set up two-factor codes'}
        </button>
      </div>
    );
  }
  // The SVG comes from our own server, but it is shown as an image rather than as markup, so it can never run anything.
  const qr = `data:image/svg+xml;base64,${btoa(started.qrSvg)}`;
  return (
    <form className="card" aria-label="Confirm two-factor codes" onSubmit={confirm}>
      <p>1. Scan this QR code with your authenticator app.</p>
      <img src={qr} alt="QR code to add this login to an authenticator app" width={200} height={200} className="qr" />
      <p>
        Cannot scan? Type this key into the app: <code className="mono">{started.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <p>2. Enter the code the app shows.</p>
      <Field label="Code from the app" value={code} onChange={setCode} required autoComplete="one-time-code" name="code" hint={CODE_HINT} />
      <ErrorText error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Checking…' : 'Confirm'}
      </button>
    </form>
  );
}

/** The ten recovery codes, shown once. */
function RecoveryCodes(props: { codes: string[]; onDone: () => void }) {
  return (
    <OnceBox title="Your recovery codes" onDone={props.onDone}>
      <p>Each works once instead of a code from the app, if you lose your phone. Keep them somewhere safe (a password manager, or printed).</p>
      <ul className="recovery-codes mono" aria-label="Recovery codes">
        {props.codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </OnceBox>
  );
}

/** Right after the password, when the partner requires codes and this login has none: nothing else until done. */
export function EnrolmentRequiredPage(props: { token: string; username: string }) {
  const { finishEnrolment, signOut } = useSession();
  const [confirmed, setConfirmed] = useState<TwoFactorConfirmed | null>(null);
  const { error, run } = useSubmit();
  const done = () =>
    run(async () => {
      if (!confirmed?.access_token) throw new Error('The server did not complete the sign-in; please sign in again.');
      const me = await finishEnrolment({ access_token: confirmed.access_token, token_type: 'Bearer', expires_in: confirmed.expires_in ?? 0 });
      navigate(landingOf(me), { replace: true });
    });
  return (
    <main id="main" className="narrow">
      <PageTitle intro={`Your organisation requires a second step when ${props.username} signs in: a code from an app on your phone. Set it up now to continue.`}>
        Set up two-factor codes
      </PageTitle>
      {confirmed ? <RecoveryCodes codes={confirmed.recoveryCodes} onDone={() => void done()} /> : <SetUp token={props.token} onConfirmed={setConfirmed} />}
      <ErrorText error={error} />
      <p>
        <button type="button" onClick={() => signOut('You are signed out.')}>
          Cancel and sign out
        </button>
      </p>
    </main>
  );
}

/** The signed-in user's own codes: a section of "My account". */
export function TwoFactorSection() {
  const status = useLoad(() => getData<TwoFactorStatus>('/me/two-factor'), []);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState('');
  const { busy, error, run } = useSubmit();

  const remove = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await request('DELETE', '/me/two-factor', { code: code.trim() });
      setCode('');
      setDone('Two-factor codes removed.');
      status.reload();
    });
  };

  const s = status.data;
  return (
    <section aria-labelledby="two-factor-head">
      <h2 id="two-factor-head">Two-factor</h2>
      <p className="hint">With two-factor codes, signing in needs your password and a code from an app on your phone, so a stolen password alone is not enough.</p>
      {done ? <Notice>{done}</Notice> : null}
      {codes ? <RecoveryCodes codes={codes} onDone={() => setCodes(null)} /> : null}
      <ErrorText error={status.error} />
      {!s ? (
        status.loading ? <Loading /> : null
      ) : s.enrolled ? (
        <>
          <p>
            <strong>On.</strong> Every sign-in asks for a code. Recovery codes left: {s.recoveryCodesLeft} of 10.
          </p>
          {s.required ? <p className="hint">Your partner requires codes: if you remove them, your next sign-in sets them up again.</p> : null}
          <form className="card" aria-label="Remove two-factor codes" onSubmit={remove}>
            <Field label="Code from the app, or a recovery code" value={code} onChange={setCode} required autoComplete="one-time-code" name="code" />
            <ErrorText error={error} />
            <button type="submit" className="danger" disabled={busy}>
              {busy ? 'Removing…' : 'Remove two-factor codes'}
            </button>
          </form>
        </>
      ) : (
        <>
          <p>
            <strong>Off.</strong> {s.required ? 'Your partner requires codes.' : 'Signing in needs only your password.'}
          </p>
          <SetUp
            onConfirmed={(c) => {
              setCodes(c.recoveryCodes);
              setDone('Two-factor codes are on.');
              status.reload();
            }}
          />
        </>
      )}
    </section>
  );
}
