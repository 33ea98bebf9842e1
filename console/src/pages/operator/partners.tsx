/** Operator view: publishers (partners): list, "Add New Publisher", block / unblock, the admin. */
import { useState, type FormEvent } from 'react';
import { getData, getPage, send } from '../../api/client';
import type { FullPartner, Partner, PartnerCreated, PartnerLimits } from '../../api/types';
import { PartnerSwitches } from './partner-switches';
import { ConfirmButton, Disclosure, ErrorText, Field, Loading, OnceBox, Pager, PageTitle, SecretOnce, Select, useLoad, useSubmit, when } from '../../components/ui';

const PAGE_SIZE = 20;

export function PartnersPage() {
  const [pageIndex, setPageIndex] = useState(1);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [applied, setApplied] = useState({ search: '', status: '' });
  const [created, setCreated] = useState<PartnerCreated | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const list = useLoad(() => getPage<Partner>('/partners', { ...applied, pageIndex, pageSize: PAGE_SIZE }), [applied, pageIndex]);

  return (
    <>
      <PageTitle intro="A publisher (partner) is a tenant: its own users, roles, tokens and access control. Its admin signs in to this console with the login created here; operator logins never manage a publisher's content.">
        Partners (publishers)
      </PageTitle>

      {created ? (
        <OnceBox title={`Publisher “${created.partner.name}” created (id ${created.partner.id})`} onDone={() => setCreated(null)}>
          <p>
            Admin login: <strong>{created.admin?.email ?? created.partner.adminEmail}</strong>. They sign in to this console with that login and{' '}
            {created.adminPassword ? 'the generated password below.' : 'the password you set (an existing login keeps its password).'}
          </p>
          {created.adminPassword ? <SecretOnce label="Generated admin password" value={created.adminPassword} /> : null}
          <SecretOnce label="Admin secret" value={created.adminSecret} />
          <SecretOnce label="User secret" value={created.secret} />
        </OnceBox>
      ) : (
        <AddPublisher
          onCreated={(c) => {
            setCreated(c);
            list.reload();
          }}
        />
      )}

      <section aria-labelledby="partners-list">
        <h2 id="partners-list">All publishers</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setPageIndex(1);
            setApplied({ search, status });
          }}
        >
          <Field label="Search by name" value={search} onChange={setSearch} />
          <Select label="Status" value={status} onChange={setStatus} options={[['', 'Any'], ['active', 'Active'], ['blocked', 'Blocked']]} />
          <button type="submit">Filter</button>
        </form>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <>
            <table>
              <caption className="sr-only">Publishers</caption>
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Name</th>
                  <th scope="col">Admin</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((p) => (
                  <PartnerRow key={p.id} p={p} open={open === p.id} onToggle={() => setOpen(open === p.id ? null : p.id)} onChanged={list.reload} />
                ))}
              </tbody>
            </table>
            {list.data.data.length === 0 ? <p>No publisher matches.</p> : null}
            <Pager label="Publishers" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
          </>
        ) : null}
      </section>
    </>
  );
}

function PartnerRow(props: { p: Partner; open: boolean; onToggle: () => void; onChanged: () => void }) {
  const { p } = props;
  const blocked = p.status === 'blocked';
  return (
    <>
      <tr>
        <td>{p.id}</td>
        <td>
          {p.name}
          {p.description ? <div className="hint">{p.description}</div> : null}
        </td>
        <td>
          {p.adminName}
          <div className="hint">{p.adminEmail}</div>
        </td>
        <td>
          <span className={`badge ${p.status}`}>{p.status}</span>
        </td>
        <td>{when(p.createdAt)}</td>
        <td className="row-actions">
          <button type="button" aria-expanded={props.open} onClick={props.onToggle}>
            Details<span className="sr-only"> of {p.name}</span>
          </button>
          <ConfirmButton
            label={blocked ? `Unblock` : `Block`}
            what={p.name}
            title={blocked ? `Unblock ${p.name}?` : `Block ${p.name}?`}
            confirmLabel={blocked ? 'Unblock' : 'Block publisher'}
            danger={!blocked}
            onConfirm={async () => {
              await send('PATCH', `/partners/${p.id}`, { status: blocked ? 'active' : 'blocked' });
              props.onChanged();
            }}
          >
            {blocked ? (
              <p>Its users can sign in and its sessions work again.</p>
            ) : (
              <p>
                Every user of <strong>{p.name}</strong> (id {p.id}) is refused from now on and its sessions, app tokens and keys stop working until you unblock it.
              </p>
            )}
          </ConfirmButton>
        </td>
      </tr>
      {props.open ? (
        <tr className="detail">
          <td colSpan={6}>
            <PartnerDetail id={p.id} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function PartnerDetail(props: { id: number }) {
  const one = useLoad(() => getData<FullPartner>(`/partners/${props.id}`), [props.id]);
  if (one.error) return <ErrorText error={one.error} />;
  if (!one.data) return <Loading />;
  const a = one.data.admin;
  return (
    <>
      <dl className="facts">
        <dt>Partner admin</dt>
        <dd>{a ? `${a.screenName || a.id} (${a.email}), user id ${a.id}, ${a.status}` : `${one.data.adminName} (${one.data.adminEmail})`}</dd>
        <dt>Updated</dt>
        <dd>{when(one.data.updatedAt)}</dd>
      </dl>
      <LimitsForm partner={one.data} limits={one.data.limits} onSaved={one.reload} />
      <PartnerSwitches partner={one.data} onSaved={one.reload} />
    </>
  );
}

const LIMIT_FIELDS: Array<[key: keyof PartnerLimits, label: string, hint: string]> = [
  ['apiKeyMaxValidity', 'Longest API key validity (seconds)', 'Can only shorten the server setting (GATEHOUSE_API_KEY_MAX_VALIDITY).'],
  ['consumerJwtMaxLifetime', 'Longest consumer JWT lifetime (seconds)', 'When set, consumer JWTs must carry exp, at most this far ahead.'],
  ['gatewayRateLimit', 'Gateway requests per minute per credential', 'Replaces GATEHOUSE_GATEWAY_RATE_LIMIT for this publisher.'],
  ['accessControlProfileLimit', 'Most access-control profiles', 'Replaces GATEHOUSE_ACCESS_CONTROL_PROFILE_LIMIT (default 24).'],
];

/** The publisher's own limits; an empty field means the server's setting applies. */
function LimitsForm(props: { partner: Partner; limits: PartnerLimits; onSaved: () => void }) {
  const initial = (k: keyof PartnerLimits) => (props.limits[k] === null ? '' : String(props.limits[k]));
  const [values, setValues] = useState<Record<keyof PartnerLimits, string>>({
    apiKeyMaxValidity: initial('apiKeyMaxValidity'),
    consumerJwtMaxLifetime: initial('consumerJwtMaxLifetime'),
    gatewayRateLimit: initial('gatewayRateLimit'),
    accessControlProfileLimit: initial('accessControlProfileLimit'),
  });
  const [saved, setSaved] = useState(false);
  const { busy, error, run, setError } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const limits: Partial<Record<keyof PartnerLimits, number | null>> = {};
    for (const [k, label] of LIMIT_FIELDS) {
      const raw = values[k].trim();
      if (raw === '') limits[k] = null;
      else if (/^[1-9]\d*$/.test(raw)) limits[k] = Number(raw);
      else return setError(new Error(`${label}: a whole number above 0, or empty for the server's setting.`));
    }
    void run(async () => {
      await send('PATCH', `/partners/${props.partner.id}`, { limits });
      setSaved(true);
      props.onSaved();
    });
  };
  return (
    <form onSubmit={submit} aria-label={`Limits of ${props.partner.name}`}>
      <h3>Limits</h3>
      <div className="grid2">
        {LIMIT_FIELDS.map(([k, label, hint]) => (
          <Field key={k} label={label} type="number" value={values[k]} onChange={(v) => setValues({ ...values, [k]: v })} hint={`${hint} Empty: the server's setting.`} />
        ))}
      </div>
      <ErrorText error={error} />
      {saved ? <p role="status">Limits saved.</p> : null}
      <button type="submit" disabled={busy}>
        Save limits
      </button>
    </form>
  );
}

function AddPublisher(props: { onCreated: (c: PartnerCreated) => void }) {
  const [name, setName] = useState('');
  const [adminName, setAdminName] = useState('');
  const [adminEmail, setAdminEmail] = useState('');
  const [adminPassword, setAdminPassword] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body: Record<string, string> = { name: name.trim(), adminName: adminName.trim(), adminEmail: adminEmail.trim() };
      if (adminPassword) body.adminPassword = adminPassword;
      if (description.trim()) body.description = description.trim();
      const c = await send<PartnerCreated>('POST', '/partners', body);
      setName('');
      setAdminName('');
      setAdminEmail('');
      setAdminPassword('');
      setDescription('');
      props.onCreated(c);
    });
  };
  return (
    <Disclosure summary="Add New Publisher">
      <form onSubmit={submit} aria-label="Add New Publisher">
        <div className="grid2">
          <Field label="Publisher name" value={name} onChange={setName} required />
          <Field label="Description" value={description} onChange={setDescription} />
          <Field label="Admin name" value={adminName} onChange={setAdminName} required hint="The person who manages this publisher, e.g. Pat Admin." />
          <Field label="Admin email (login id)" type="email" value={adminEmail} onChange={setAdminEmail} required autoComplete="off" />
          <Field
            label="Admin password"
            type="password"
            value={adminPassword}
            onChange={setAdminPassword}
            autoComplete="new-password"
            hint="Optional: empty generates one, shown once. At least 8 characters, not containing the admin's name or email. An email that already has a login keeps its password."
          />
        </div>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create publisher
        </button>
      </form>
    </Disclosure>
  );
}
