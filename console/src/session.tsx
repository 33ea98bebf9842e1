/**
 * Who is signed in: the access token (sessionStorage) and `/api/me`. Signing out forgets the token
 * locally first, so it always works, whatever the server says or whether it answers at all.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, clearToken, getData, getToken, request, setToken, setUnauthorizedHandler } from './api/client';
import type { AccessTokenAnswer, Me, TokenAnswer } from './api/types';
import { navigate } from './router';

export type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out'; message: string | null }
  | { status: 'signed-in'; me: Me; degraded: string | null }
  /**
   * The password was right, but the partner requires two-factor codes and this login has none:
   * nothing but enrolment until it is done. The enrolment token is kept in memory only.
   */
  | { status: 'enrolling'; token: string; username: string }
  | { status: 'failed'; error: ApiError };

interface SessionApi {
  state: AuthState;
  /** Resolves with the account, or null when the login must set up two-factor codes first (state `enrolling`). */
  signIn(username: string, password: string, partnerId?: number, otp?: string): Promise<Me | null>;
  /** Adopts the access token that confirming an enrolment answered. */
  finishEnrolment(answer: AccessTokenAnswer): Promise<Me>;
  /** Adopts an access token another sign-in answered (single sign-on's one-time code). */
  adopt(answer: AccessTokenAnswer): Promise<Me>;
  /** Adopts a sign-in's answer: the account, or null when it is a token for two-factor enrolment only (state `enrolling`). */
  adoptSignIn(answer: TokenAnswer, username: string): Promise<Me | null>;
  switchPartner(partnerId: number): Promise<Me>;
  signOut(message?: string): void;
  reloadMe(): Promise<void>;
}

const Ctx = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('not signed in');
  return state.me;
}

/** The claims of our own access token (never trusted for anything but a fallback display). */
function claimsOf(token: string): { sub?: string; partnerId?: number; permissions?: string[] } {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as { sub?: string; partnerId?: number; permissions?: string[] };
  } catch {
    return {};
  }
}

/**
 * `/api/me`; on a server without it (an older REST door) a stand-in from the token's claims, so
 * the console still opens the right view and says what is missing.
 */
async function loadMe(): Promise<{ me: Me; degraded: string | null }> {
  try {
    return { me: await getData<Me>('/me'), degraded: null };
  } catch (e) {
    if (!(e instanceof ApiError) || !e.missingRoute) throw e;
    const c = claimsOf(getToken() ?? '');
    const partnerId = c.partnerId ?? 0;
    const kind = partnerId === -2 ? 'operator' : 'publisher';
    return {
      me: {
        user: { id: c.sub ?? '', email: c.sub ?? '', screenName: c.sub ?? '', isAdmin: true, roleId: null, roleName: null },
        partner: { id: partnerId, name: kind === 'operator' ? 'Admin Console' : `Partner ${partnerId}`, status: 'active', kind },
        permissions: c.permissions ?? [],
        consoleAccess: { allowed: true, reason: null, explanation: null },
        partners: [],
      },
      degraded: 'This server does not offer GET /api/me yet: account names, account switching and the wrong-account check are unavailable.',
    };
  }
}

export function SessionProvider(props: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>(() => (getToken() ? { status: 'loading' } : { status: 'signed-out', message: null }));

  const signOut = useCallback((message?: string) => {
    clearToken();
    setState({ status: 'signed-out', message: message ?? null });
    navigate('/sign-in', { replace: true });
  }, []);

  const reloadMe = useCallback(async () => {
    try {
      const { me, degraded } = await loadMe();
      setState({ status: 'signed-in', me, degraded });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return; // the unauthorized handler signed out
      setState({ status: 'failed', error: e instanceof ApiError ? e : new ApiError(String(e), 0, 'UNKNOWN') });
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler((msg) => signOut(`Your session ended (${msg}). Please sign in again.`));
    if (getToken()) void reloadMe();
  }, [signOut, reloadMe]);

  const adopt = useCallback(async (answer: AccessTokenAnswer): Promise<Me> => {
    setToken(answer.access_token);
    const { me, degraded } = await loadMe();
    setState({ status: 'signed-in', me, degraded });
    return me;
  }, []);

  const adoptSignIn = useCallback(
    async (answer: TokenAnswer, username: string): Promise<Me | null> => {
      if ('enrolment_token' in answer) {
        setState({ status: 'enrolling', token: answer.enrolment_token, username });
        return null;
      }
      return adopt(answer);
    },
    [adopt],
  );

  const signIn = useCallback(
    async (username: string, password: string, partnerId?: number, otp?: string): Promise<Me | null> => {
      const body = (id?: number) => ({ username, password, ...(id === undefined ? {} : { partnerId: id }), ...(otp ? { otp } : {}) });
      let answer: TokenAnswer;
      try {
        answer = (await request<{ data: TokenAnswer }>('POST', '/auth/access-token', body(partnerId), { auth: false })).data;
      } catch (e) {
        // An operator login (admin-console partner -2) is only reached by naming that partner; the
        // server says so only after the password was right, so retrying reveals nothing.
        if (partnerId === undefined && e instanceof ApiError && e.code === 'SYSTEM_PARTNER_LOGIN') {
          answer = (await request<{ data: TokenAnswer }>('POST', '/auth/access-token', body(-2), { auth: false })).data;
        } else throw e;
      }
      return adoptSignIn(answer, username);
    },
    [adoptSignIn],
  );

  const switchPartner = useCallback(
    async (partnerId: number): Promise<Me> => {
      const answer = (await request<{ data: AccessTokenAnswer }>('POST', '/auth/switch-partner', { partnerId })).data;
      return adopt(answer);
    },
    [adopt],
  );

  const api = useMemo(() => ({ state, signIn, finishEnrolment: adopt, adopt, adoptSignIn, switchPartner, signOut, reloadMe }), [state, signIn, adopt, adoptSignIn, switchPartner, signOut, reloadMe]);
  return <Ctx.Provider value={api}>{props.children}</Ctx.Provider>;
}
