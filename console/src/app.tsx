/** The shell: header (account, change account, sign out), navigation by view, and the routes. */
import { useEffect, type ReactNode } from 'react';
import { ErrorText, Link, Loading, PageTitle } from './components/ui';
import { AccountsPage, landingOf, NoAccessPage, SignInPage } from './pages/auth';
import { ACCOUNT_PAGE, PAGES, type PageDef } from './pages/index';
import { EnrolmentRequiredPage } from './pages/two-factor';
import { SsoCompletePage } from './pages/sso';
import { navigate, usePath } from './router';
import { useSession } from './session';

function Shell(props: { children: ReactNode; nav: PageDef[]; path: string }) {
  const { state, signOut } = useSession();
  const me = state.status === 'signed-in' ? state.me : null;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Gatehouse</span>
        {me ? (
          <span className="who">
            {me.user.screenName || me.user.email} · <strong>{me.partner.name}</strong> ({me.partner.kind === 'operator' ? 'operator' : `partner ${me.partner.id}`})
          </span>
        ) : null}
        {me && me.partners.length > 1 ? <Link to="/accounts">Change account</Link> : null}
        <button type="button" className="signout" onClick={() => signOut('You are signed out.')}>
          Sign out
        </button>
      </header>
      <div className="layout">
        {props.nav.length ? (
          <nav aria-label="Console sections" className="side">
            <ul>
              {props.nav.map((p) => (
                <li key={p.path}>
                  <Link to={p.path} current={props.path === p.path || props.path.startsWith(`${p.path}/`)}>
                    {p.title}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main">
          {state.status === 'signed-in' && state.degraded ? <p className="notice">{state.degraded}</p> : null}
          {props.children}
        </main>
      </div>
    </>
  );
}

export function App() {
  const { state } = useSession();
  const path = usePath();

  useEffect(() => {
    document.title = 'Gatehouse console';
  }, [path]);

  // Back from single sign-on: the one-time code becomes this browser's session, whatever it had.
  if (path === '/sso') return <SsoCompletePage />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-out') return <SignInPage message={state.message} />;
  // Nothing but enrolment until the login has set up the two-factor codes its partner requires.
  if (state.status === 'enrolling') return <EnrolmentRequiredPage token={state.token} username={state.username} />;
  if (state.status === 'failed') {
    return (
      <Shell nav={[]} path={path}>
        <PageTitle>The console could not load your account</PageTitle>
        <ErrorText error={state.error} />
        <p>Sign out and sign in again, or try later.</p>
      </Shell>
    );
  }

  const me = state.me;
  if (path === '/sign-in' || path === '/') return <Redirect to={landingOf(me)} />;
  if (path === '/accounts') {
    return (
      <Shell nav={[]} path={path}>
        <AccountsPage />
      </Shell>
    );
  }
  if (!me.consoleAccess.allowed) {
    // Such an account manages nothing here, but its own password, codes and sign-ins are its own.
    if (path === ACCOUNT_PAGE.path) {
      return (
        <Shell nav={[ACCOUNT_PAGE]} path={path}>
          <ACCOUNT_PAGE.Component path={path} />
        </Shell>
      );
    }
    if (path !== '/no-access') return <Redirect to="/no-access" />;
    return (
      <Shell nav={[ACCOUNT_PAGE]} path={path}>
        <NoAccessPage />
      </Shell>
    );
  }
  if (path === '/no-access') return <Redirect to={landingOf(me)} />;

  const view = me.partner.kind === 'operator' ? 'operator' : 'partner';
  const nav = PAGES.filter((p) => p.view === view && !p.hidden && (!p.permissions || p.permissions.some((x) => me.permissions.includes(x))));
  const page = PAGES.find((p) => p.view === view && (p.match ? p.match.test(path) : p.path === path));
  return (
    <Shell nav={nav} path={path}>
      {page ? (
        <page.Component path={path} />
      ) : (
        <>
          <PageTitle>Page not found</PageTitle>
          <p>
            There is no page at <code>{path}</code> in the {view} view. <Link to={landingOf(me)}>Go to the start page</Link>.
          </p>
        </>
      )}
    </Shell>
  );
}

function Redirect(props: { to: string }) {
  useEffect(() => navigate(props.to, { replace: true }), [props.to]);
  return <Loading />;
}
