/**
 * Single sign-on: the partner's OpenID Connect identity providers (SSO_MANAGE). Shows the redirect
 * URI to register at the provider; the client secret is write-only (the server never answers it).
 */
import { useState, type FormEvent } from 'react';
import { getData, send } from '../../api/client';
import type { paths } from '../../api/openapi.gen';
import { Check, ConfirmButton, Disclosure, ErrorText, Field, Loading, PageTitle, useLoad, useSubmit, when } from '../../components/ui';

type Provider = paths['/api/identity-providers']['get']['responses'][200]['content']['application/json']['data'][number];

const words = (s: string) => s.split(/[\s,]+/).filter(Boolean);

export function IdentityProvidersPage() {
  const list = useLoad(() => getData<Provider[]>('/identity-providers'), []);
  const redirectUri = list.data?.[0]?.redirectUri ?? `${window.location.origin}/api/auth/sso/callback`;
  return (
    <>
      <PageTitle intro="Your users sign in through your organisation's OpenID Connect provider (Entra ID, Google, Keycloak…): typing an e-mail of one of its domains on the sign-in page offers “Sign in with …”. The e-mail must be verified by the provider and belong to a user of this partner with a login.">
        Single sign-on
      </PageTitle>
      <p>
        Register this redirect URI at your provider: <code className="mono">{redirectUri}</code>
      </p>
      <ProviderForm onSaved={list.reload} />
      <section aria-labelledby="idp-list">
        <h2 id="idp-list">Identity providers</h2>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data && list.data.length > 0 ? (
          <table>
            <caption className="sr-only">Identity providers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Issuer</th>
                <th scope="col">E-mail domains</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    <div className="hint">
                      client {p.clientId} · updated {when(p.updatedAt)}
                    </div>
                  </td>
                  <td className="mono">{p.issuer}</td>
                  <td>{p.emailDomains.join(', ')}</td>
                  <td>
                    {p.enabled ? 'Enabled' : 'Disabled'}
                    {p.createUsers ? <div className="hint">creates users (role {p.roleId})</div> : null}
                    {p.trustProviderMfa ? <div className="hint">its MFA replaces two-factor codes</div> : null}
                  </td>
                  <td className="row-actions">
                    <ProviderForm existing={p} onSaved={list.reload} />
                    <ConfirmButton
                      label="Delete"
                      what={p.name}
                      danger
                      title={`Delete identity provider ${p.name}?`}
                      confirmLabel="Delete provider"
                      onConfirm={async () => {
                        await send('DELETE', `/identity-providers/${p.id}`);
                        list.reload();
                      }}
                    >
                      <p>Users of {p.emailDomains.join(', ')} can no longer sign in through {p.name}.</p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {list.data && list.data.length === 0 ? <p>No identity providers yet.</p> : null}
      </section>
    </>
  );
}

function ProviderForm(props: { existing?: Provider; onSaved: () => void }) {
  const e0 = props.existing;
  const [name, setName] = useState(e0?.name ?? '');
  const [issuer, setIssuer] = useState(e0?.issuer ?? 'https://');
  const [clientId, setClientId] = useState(e0?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState(e0?.emailDomains.join(', ') ?? '');
  const [scopes, setScopes] = useState(e0?.scopes.join(' ') ?? 'openid email profile');
  const [enabled, setEnabled] = useState(e0?.enabled ?? true);
  const [trustMfa, setTrustMfa] = useState(e0?.trustProviderMfa ?? false);
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    void run(async () => {
      const body = {
        name: name.trim(),
        issuer: issuer.trim(),
        clientId: clientId.trim(),
        emailDomains: words(domains),
        scopes: words(scopes),
        enabled,
        trustProviderMfa: trustMfa,
        // Left empty when editing: the stored secret stays.
        ...(clientSecret ? { clientSecret } : {}),
      };
      if (e0) await send('PATCH', `/identity-providers/${e0.id}`, body);
      else await send('POST', '/identity-providers', body);
      setClientSecret('');
      if (!e0) {
        setName('');
        setIssuer('https://');
        setClientId('');
        setDomains('');
      }
      setOpen(false);
      props.onSaved();
    });
  };
  const form = (
    <form onSubmit={submit} aria-label={e0 ? `Edit identity provider ${e0.name}` : 'Add an identity provider'}>
      <div className="grid2">
        <Field label="Name" value={name} onChange={setName} required hint="Shown on the sign-in button: “Sign in with …”." />
        <Field label="Issuer" value={issuer} onChange={setIssuer} required hint="Its discovery document is read and checked when you save. https only." />
        <Field label="Client id" value={clientId} onChange={setClientId} required />
        <Field label="Client secret" type="password" value={clientSecret} onChange={setClientSecret} required={!e0} autoComplete="off" hint={e0 ? 'Leave empty to keep the stored secret.' : 'Stored encrypted; never shown again.'} />
        <Field label="E-mail domains" value={domains} onChange={setDomains} required hint="Comma-separated, e.g. example.edu, staff.example.edu." />
        <Field label="Scopes" value={scopes} onChange={setScopes} hint="openid and email are always asked." />
      </div>
      <Check label="Enabled" checked={enabled} onChange={setEnabled} />
      <Check
        label="Trust the provider's multi-factor sign-in"
        checked={trustMfa}
        onChange={setTrustMfa}
        hint="When the provider says it asked for a second factor (amr mfa or otp, or a multi-factor acr such as REFEDS MFA), Gatehouse does not ask for its own two-factor code. Off: users who set up codes, or whom your two-factor setting requires, type their code after the provider too."
      />
      <ErrorText error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Checking the provider…' : e0 ? 'Save provider' : 'Add provider'}
      </button>
    </form>
  );
  if (!e0) return <Disclosure summary="Add an identity provider">{form}</Disclosure>;
  return (
    <>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Edit<span className="sr-only"> {e0.name}</span>
      </button>
      {open ? <div className="card">{form}</div> : null}
    </>
  );
}
