/**
 * Single sign-on in the console: the "Sign in with {provider}" choice on the sign-in page (from
 * the e-mail's domain alone, never from whether a user exists), and the page the server sends the
 * browser back to, which exchanges its one-time code (in the URL fragment) for the access token.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, request } from '../api/client';
import type { AccessTokenAnswer } from '../api/types';
import type { paths } from '../api/openapi.gen';
import { ErrorText, Loading, PageTitle } from '../components/ui';
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
  const { adopt } = useSession();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const code = new URLSearchParams(window.location.hash.slice(1)).get('code') ?? '';
    // The code leaves the address bar (and history) before anything else happens.
    window.history.replaceState(null, '', window.location.pathname);
    if (!code) {
      setError(new Error('This page is reached from your identity provider. Start again from the sign-in page.'));
      return;
    }
    request<{ data: AccessTokenAnswer }>('POST', '/auth/sso/token', { code }, { auth: false })
      .then((r) => adopt(r.data))
      .then((me) => navigate(landingOf(me), { replace: true }))
      .catch((e: unknown) => setError(e instanceof ApiError && e.code === 'SSO_CODE_INVALID' ? new Error('This sign-in link has expired or was already used. Sign in again.') : e));
  }, [adopt]);
  return (
    <main id="main" className="narrow">
      <PageTitle>Signing you in…</PageTitle>
      {error ? (
        <>
          <ErrorText error={error} />
          <p>
            <a href="/console/sign-in">Back to the sign-in page</a>
          </p>
        </>
      ) : (
        <Loading />
      )}
    </main>
  );
}
