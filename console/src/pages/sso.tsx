/**
 * Single sign-on in the console: the "Sign in with {provider}" choice on the sign-in page (from
 * the e-mail's domain alone, never from whether a user exists), and the page the server sends the
 * browser back to, which exchanges its one-time code (in the URL fragment) for the access token.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, request } from '../api/client';
import type { TokenAnswer } from '../api/types';
import type { paths } from '../api/openapi.gen';
import { ErrorText, Field, Loading, PageTitle, useSubmit } from '../components/ui';
import { navigate } from '../router';
import { useSession } from '../session';
import { landingOf } from './auth';

type Lookup = paths['/api/auth/sso/providers']['get']['responses'][200]['content']['application/json']['data'];

/** Looks the e-mail's domain up once typing pauses; null until there is an answer for this address. */
function useSsoLookup(email: string): Lookup | null {
  const [answer, setAnswer] = useState<{ email: string; lookup: Lookup } | null>(null);
  const trimmed = email.trim();
  useEffect(() => {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed)) return;
    let live = true;
    const timer = setTimeout(() => {
      request<{ data: Lookup }>('GET', `/auth/sso/providers?email=${encodeURIComponent(trimmed)}`, undefined, { auth: false })
        .then((r) => live && setAnswer({ email: trimmed, lookup: r.data }))
        // The lookup only adds a button; without it the password form is all there is.
        .catch(() => undefined);
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [trimmed]);
  return answer && answer.email === trimmed ? answer.lookup : null;
}

/**
 * Around the password part of the sign-in form: a provider for the domain adds "Sign in with …";
 * a partner that blocks direct sign-in (blockDirectLogin) shows only that, the password form
 * staying one click away for accounts excluded from single sign-on.
 */
export function SsoGate(props: { email: string; children: ReactNode }) {
  const lookup = useSsoLookup(props.email);
  const [wantsPassword, setWantsPassword] = useState(false);
  const provider = lookup?.provider;
  if (!provider) return <>{props.children}</>;
  const start = `/api/auth/sso/start?provider=${provider.id}&email=${encodeURIComponent(props.email.trim())}`;
  const onlySso = lookup.passwordSignIn === false && !wantsPassword;
  return (
    <>
      <p>
        {/* A full navigation: the server answers with a redirect to the provider. */}
        <button type="button" className="primary" onClick={() => window.location.assign(start)}>
          Sign in with {provider.name}
        </button>
      </p>
      {onlySso ? (
        <p className="hint">
          Your organisation signs you in through {provider.name}.{' '}
          <button type="button" onClick={() => setWantsPassword(true)}>
            Use a password instead
          </button>{' '}
          (only for accounts excluded from single sign-on).
        </p>
      ) : (
        <>
          <p className="hint">or with your password:</p>
          {props.children}
        </>
      )}
    </>
  );
}

/** `/console/sso#code=…`: where the server sends the browser after the provider signed it in. */
export function SsoCompletePage() {
  const { adoptSignIn } = useSession();
  const [error, setError] = useState<unknown>(null);
  // Asked when the login owes a two-factor code after the provider (OTP_REQUIRED): the same one-time code is sent again with it.
  const [needCode, setNeedCode] = useState(false);
  const [otp, setOtp] = useState('');
  const { busy, error: codeError, run } = useSubmit();
  const code = useRef('');
  const started = useRef(false);

  const exchange = useCallback(
    async (withOtp?: string) => {
      const r = await request<{ data: TokenAnswer }>('POST', '/auth/sso/token', { code: code.current, ...(withOtp ? { otp: withOtp } : {}) }, { auth: false });
      const me = await adoptSignIn(r.data, 'your login');
      // null: the partner requires codes this login has not set up; the app shows their enrolment.
      navigate(me ? landingOf(me) : '/sign-in', { replace: true });
    },
    [adoptSignIn],
  );

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    code.current = new URLSearchParams(window.location.hash.slice(1)).get('code') ?? '';
    // The code leaves the address bar (and history) before anything else happens.
    window.history.replaceState(null, '', window.location.pathname);
    if (!code.current) {
      setError(new Error('This page is reached from your identity provider. Start again from the sign-in page.'));
      return;
    }
    exchange().catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 'OTP_REQUIRED') setNeedCode(true);
      else setError(expired(e));
    });
  }, [exchange]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      try {
        await exchange(otp.trim());
      } catch (err) {
        setOtp('');
        // The code step is over (too many codes, another browser, expired): only a new sign-in helps.
        if (err instanceof ApiError && err.code === 'SSO_CODE_INVALID') {
          setNeedCode(false);
          setError(expired(err));
          return;
        }
        throw err;
      }
    });
  };

  return (
    <main id="main" className="narrow">
      <PageTitle>{needCode ? 'Two-factor code' : 'Signing you in…'}</PageTitle>
      {error ? (
        <>
          <ErrorText error={error} />
          <p>
            <a href="/console/sign-in">Back to the sign-in page</a>
          </p>
        </>
      ) : needCode ? (
        <form className="card" aria-label="Finish signing in" onSubmit={submit}>
          <p>Your identity provider signed you in. Your login also uses two-factor codes: enter the one your authenticator app shows now.</p>
          <Field label="Two-factor code" value={otp} onChange={setOtp} required autoComplete="one-time-code" name="otp" hint="The 6-digit code your authenticator app shows now, or one of your recovery codes." />
          <ErrorText error={codeError} />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Checking…' : 'Continue'}
          </button>
        </form>
      ) : (
        <Loading />
      )}
    </main>
  );
}

function expired(e: unknown): unknown {
  return e instanceof ApiError && e.code === 'SSO_CODE_INVALID' ? new Error('This sign-in link has expired or was already used. Sign in again.') : e;
}
