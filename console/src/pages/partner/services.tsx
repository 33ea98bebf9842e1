/** Protected services (upstream APIs behind the gateway): route prefix, groups, permissions. */
import { useState, type FormEvent } from 'react';
import { getPage, send } from '../../api/client';
import type { ApiService } from '../../api/types';
import { ConfirmButton, Disclosure, ErrorText, Field, Loading, PageTitle, useLoad, useSubmit, when } from '../../components/ui';

const words = (s: string) => s.split(/[\s,]+/).filter(Boolean);

export function ServicesPage() {
  const list = useLoad(() => getPage<ApiService>('/services', { pageSize: 500 }), []);
  return (
    <>
      <PageTitle intro="A service is an upstream API behind the gateway (/authz/api). Consumers reach it through their groups; API keys through the permissions it requires.">Services</PageTitle>
      <ServiceForm onSaved={list.reload} />
      <section aria-labelledby="services-list">
        <h2 id="services-list">Services</h2>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <table>
            <caption className="sr-only">Services</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Route prefix</th>
                <th scope="col">Allowed groups</th>
                <th scope="col">Required permissions</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.name}
                    <div className="hint">updated {when(s.updatedAt)}</div>
                  </td>
                  <td className="mono">{s.routePrefix}</td>
                  <td>{s.allowedGroups.join(', ') || '—'}</td>
                  <td className="perms">{s.requiredPermissions.join(', ') || '—'}</td>
                  <td className="row-actions">
                    <ServiceForm existing={s} onSaved={list.reload} />
                    <ConfirmButton
                      label="Delete"
                      what={s.name}
                      danger
                      title={`Delete service ${s.name}?`}
                      confirmLabel="Delete service"
                      onConfirm={async () => {
                        await send('DELETE', `/services/${s.id}`);
                        list.reload();
                      }}
                    >
                      <p>The gateway stops routing {s.routePrefix}; API keys limited to it lose it.</p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {list.data && list.data.data.length === 0 ? <p>No services yet.</p> : null}
      </section>
    </>
  );
}

function ServiceForm(props: { existing?: ApiService; onSaved: () => void }) {
  const e0 = props.existing;
  const [name, setName] = useState(e0?.name ?? '');
  const [routePrefix, setRoutePrefix] = useState(e0?.routePrefix ?? '/');
  const [groups, setGroups] = useState(e0?.allowedGroups.join(', ') ?? '');
  const [perms, setPerms] = useState(e0?.requiredPermissions.join(', ') ?? '');
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    void run(async () => {
      const body = { name: name.trim(), routePrefix: routePrefix.trim(), allowedGroups: words(groups), requiredPermissions: words(perms) };
      if (e0) await send('PATCH', `/services/${e0.id}`, body);
      else await send('POST', '/services', body);
      if (!e0) {
        setName('');
        setRoutePrefix('/');
        setGroups('');
        setPerms('');
      }
      setOpen(false);
      props.onSaved();
    });
  };
  const form = (
    <form onSubmit={submit} aria-label={e0 ? `Edit service ${e0.name}` : 'Add a service'}>
      <div className="grid2">
        <Field label="Name" value={name} onChange={setName} required />
        <Field label="Route prefix" value={routePrefix} onChange={setRoutePrefix} required hint="Starts with /; the gateway picks the longest match." />
        <Field label="Allowed groups" value={groups} onChange={setGroups} hint="Consumer groups, comma-separated." />
        <Field label="Required permissions" value={perms} onChange={setPerms} hint="For API keys, comma-separated." />
      </div>
      <ErrorText error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {e0 ? 'Save service' : 'Add service'}
      </button>
    </form>
  );
  if (!e0) {
    return (
      <Disclosure summary="Add a service">
        {form}
      </Disclosure>
    );
  }
  return (
    <>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Edit<span className="sr-only"> {e0.name}</span>
      </button>
      {open ? <div className="card">{form}</div> : null}
    </>
  );
}
