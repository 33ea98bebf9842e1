/** API consumers (seed 002, Sunbird/Kong sense): groups, credentials (register, deprecate), delete. */
import { useState, type FormEvent } from 'react';
import { getData, getPage, send } from '../../api/client';
import type { Consumer, ConsumerCreated, Credential, CredentialCreated, FullConsumer } from '../../api/types';
import { ConfirmButton, Disclosure, ErrorText, Field, Loading, Notice, OnceBox, Pager, PageTitle, SecretOnce, Select, useLoad, useSubmit, when } from '../../components/ui';

const PAGE_SIZE = 25;

/** A credential's secret to show once, from either creation answer. */
type Secret = Pick<CredentialCreated, 'username' | 'key' | 'secret'>;

export function ConsumersPage() {
  const [pageIndex, setPageIndex] = useState(1);
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const list = useLoad(() => getPage<Consumer>('/consumers', { search: applied, pageIndex, pageSize: PAGE_SIZE }), [applied, pageIndex]);
  return (
    <>
      <PageTitle intro="A consumer is an API client. It signs JWTs with a credential's secret; the gateway lets it reach the services whose groups it belongs to. Deprecate a credential to rotate it without downtime.">
        Consumers
      </PageTitle>
      {secret ? (
        <OnceBox title={`Credential for ${secret.username}`} onDone={() => setSecret(null)}>
          <SecretOnce label="Key (JWT iss)" value={secret.key} />
          {secret.secret ? <SecretOnce label="Secret (HS256)" value={secret.secret} /> : <p>No secret: you keep the private key of this RS256/ES256 credential.</p>}
        </OnceBox>
      ) : (
        <CreateConsumer
          onCreated={(s) => {
            setSecret(s);
            setOpen(s.username);
            list.reload();
          }}
        />
      )}
      <section aria-labelledby="consumers-list">
        <h2 id="consumers-list">All consumers</h2>
        <form className="filters" onSubmit={(e) => { e.preventDefault(); setPageIndex(1); setApplied(search.trim()); }}>
          <Field label="Search by username" value={search} onChange={setSearch} />
          <button type="submit">Search</button>
        </form>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <>
            <table>
              <caption className="sr-only">Consumers</caption>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Groups</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((c) => (
                  <ConsumerRow key={c.username} c={c} open={open === c.username} onToggle={() => setOpen(open === c.username ? null : c.username)} onSecret={setSecret} onChanged={list.reload} />
                ))}
              </tbody>
            </table>
            {list.data.data.length === 0 ? <p>No consumers yet.</p> : null}
            <Pager label="Consumers" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
          </>
        ) : null}
      </section>
    </>
  );
}

function ConsumerRow(props: { c: Consumer; open: boolean; onToggle: () => void; onSecret: (s: Secret) => void; onChanged: () => void }) {
  const { c } = props;
  return (
    <>
      <tr>
        <td>{c.username}</td>
        <td>{c.groups.join(', ') || '—'}</td>
        <td className="row-actions">
          <button type="button" aria-expanded={props.open} onClick={props.onToggle}>
            Manage<span className="sr-only"> {c.username}</span>
          </button>
          <ConfirmButton
            label="Delete"
            what={c.username}
            danger
            title={`Delete consumer ${c.username}?`}
            confirmLabel="Delete consumer"
            onConfirm={async () => {
              await send('DELETE', `/consumers/${encodeURIComponent(c.username)}`);
              props.onChanged();
            }}
          >
            <p>Its credentials stop working at once; tokens it signed are refused by the gateway.</p>
          </ConfirmButton>
        </td>
      </tr>
      {props.open ? (
        <tr className="detail">
          <td colSpan={3}>
            <ConsumerDetail username={c.username} onSecret={props.onSecret} onChanged={props.onChanged} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ConsumerDetail(props: { username: string; onSecret: (s: Secret) => void; onChanged: () => void }) {
  const path = `/consumers/${encodeURIComponent(props.username)}`;
  const one = useLoad(() => getData<FullConsumer>(path), [path]);
  const [groups, setGroups] = useState<string | null>(null);
  const [algorithm, setAlgorithm] = useState('HS256');
  const [publicKey, setPublicKey] = useState('');
  const [key, setKey] = useState('');
  const [done, setDone] = useState('');
  const g = useSubmit();
  const cred = useSubmit();
  if (one.error) return <ErrorText error={one.error} />;
  if (!one.data) return <Loading />;
  const c = one.data;
  const shownGroups = groups ?? c.groups.join(', ');
  return (
    <div>
      {done ? <Notice>{done}</Notice> : null}
      <form
        className="inline"
        aria-label={`Groups of ${c.username}`}
        onSubmit={(e) => {
          e.preventDefault();
          void g.run(async () => {
            const list = shownGroups.split(/[\s,]+/).filter(Boolean);
            await send('PUT', `${path}/groups`, { groups: list });
            setGroups(null);
            setDone('Groups saved.');
            one.reload();
            props.onChanged();
          });
        }}
      >
        <Field label="Groups" value={shownGroups} onChange={setGroups} hint="ACL groups, separated by commas; services allow groups." />
        <button type="submit" disabled={g.busy}>
          Save groups
        </button>
      </form>
      <ErrorText error={g.error} />

      <h3>Credentials</h3>
      <table>
        <caption className="sr-only">Credentials of {c.username}</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {c.credentials.map((k) => (
            <CredentialRow key={k.key} k={k} path={path} onChanged={(msg) => { setDone(msg); one.reload(); }} />
          ))}
        </tbody>
      </table>

      <form
        aria-label={`Register a credential for ${c.username}`}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void cred.run(async () => {
            const body: Record<string, string> = { algorithm };
            if (algorithm !== 'HS256') body.publicKey = publicKey;
            if (key.trim()) body.key = key.trim();
            const r = await send<CredentialCreated>('POST', `${path}/credentials`, body);
            setPublicKey('');
            setKey('');
            props.onSecret({ username: c.username, key: r.key, secret: r.secret });
            one.reload();
          });
        }}
      >
        <h3>Register a credential</h3>
        <div className="grid3">
          <Select label="Algorithm" value={algorithm} onChange={setAlgorithm} options={[['HS256', 'HS256 (shared secret, generated)'], ['RS256', 'RS256 (your public key)'], ['ES256', 'ES256 (your public key)']]} />
          <Field label="Key (optional)" value={key} onChange={setKey} hint="The JWT iss; default: generated." />
        </div>
        {algorithm !== 'HS256' ? <Field label="Public key (PEM)" value={publicKey} onChange={setPublicKey} multiline required /> : null}
        <ErrorText error={cred.error} />
        <button type="submit" disabled={cred.busy}>
          Register credential
        </button>
      </form>
    </div>
  );
}

function CredentialRow(props: { k: Credential; path: string; onChanged: (msg: string) => void }) {
  const { k } = props;
  const [expiresIn, setExpiresIn] = useState('86400');
  return (
    <tr>
      <td className="mono">{k.key}</td>
      <td>{k.algorithm}</td>
      <td>
        <span className={`badge ${k.status}`}>{k.status}</span>
        {k.expiresAt ? <div className="hint">until {when(k.expiresAt)}</div> : null}
      </td>
      <td>{when(k.createdAt)}</td>
      <td>
        {k.status === 'active' ? (
          <ConfirmButton
            label="Deprecate"
            what={k.key}
            danger
            title={`Deprecate credential ${k.key}?`}
            confirmLabel="Deprecate"
            onConfirm={async () => {
              const n = Number(expiresIn);
              await send('POST', `${props.path}/credentials/${encodeURIComponent(k.key)}/deprecate`, Number.isInteger(n) && n >= 0 ? { expiresIn: n } : {});
              props.onChanged(`Credential ${k.key} deprecated.`);
            }}
          >
            <p>The gateway refuses it from now on; it still works for rotation until it expires.</p>
            <Field label="Expires in (seconds)" type="number" value={expiresIn} onChange={setExpiresIn} />
          </ConfirmButton>
        ) : null}
      </td>
    </tr>
  );
}

function CreateConsumer(props: { onCreated: (s: Secret) => void }) {
  const [username, setUsername] = useState('');
  const { busy, error, run } = useSubmit();
  return (
    <Disclosure summary="Create a consumer">
      <form
        aria-label="Create a consumer"
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await send<ConsumerCreated>('POST', '/consumers', { username: username.trim() });
            setUsername('');
            props.onCreated(r);
          });
        }}
      >
        <Field label="Username" value={username} onChange={setUsername} required hint="Unique, e.g. lms-plugin." />
        <button type="submit" className="primary" disabled={busy}>
          Create consumer
        </button>
      </form>
      <ErrorText error={error} />
    </Disclosure>
  );
}
