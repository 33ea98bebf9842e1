/** API keys (REST door, seed 004): shown once, stored as an HMAC; list and revoke. */
import { useId, useState, type FormEvent } from 'react';
import { getData, getPage, send } from '../../api/client';
import type { ApiKey, ApiKeyCreated, ApiService, Permission } from '../../api/types';
import { ConfirmButton, Disclosure, ErrorText, Field, Loading, OnceBox, Pager, PageTitle, SecretOnce, useLoad, useSubmit, when } from '../../components/ui';

const PAGE_SIZE = 25;

export function MultiSelect(p: { label: string; options: Array<[string, string]>; value: string[]; onChange: (v: string[]) => void; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      <select id={id} multiple size={Math.min(8, Math.max(3, p.options.length))} value={p.value} onChange={(e) => p.onChange([...e.target.selectedOptions].map((o) => o.value))} aria-describedby={p.hint ? `${id}-hint` : undefined}>
        {p.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {p.hint ? (
        <small id={`${id}-hint`} className="hint">
          {p.hint}
        </small>
      ) : null}
    </div>
  );
}

export function usePermissionCatalogue() {
  return useLoad(() => getData<Permission[]>('/permissions'), []);
}

/** Catalogue entries as options: the value is what the API takes (`id`), the label says what it grants. */
export function permissionOptions(catalogue: Permission[] | undefined): Array<[string, string]> {
  return (catalogue ?? []).map((p) => [p.id, p.name && p.name !== p.id ? `${p.id} — ${p.name}` : p.id]);
}

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ApiKeysPage() {
  const [pageIndex, setPageIndex] = useState(1);
  const [created, setCreated] = useState<string | null>(null);
  const list = useLoad(() => getPage<ApiKey>('/auth/api-keys', { pageIndex, pageSize: PAGE_SIZE }), [pageIndex]);
  return (
    <>
      <PageTitle intro="Keys for machines calling the REST API or the gateway (X-API-Key header). A key has a validity window, the permissions it grants (never more than yours) and, optionally, the services it may reach.">
        API keys
      </PageTitle>
      {created ? (
        <OnceBox title="API key created" onDone={() => setCreated(null)}>
          <SecretOnce label="API key" value={created} />
        </OnceBox>
      ) : (
        <CreateKey
          onCreated={(k) => {
            setCreated(k);
            list.reload();
          }}
        />
      )}
      <section aria-labelledby="keys-list">
        <h2 id="keys-list">Keys</h2>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <>
            <table>
              <caption className="sr-only">API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Starts with</th>
                  <th scope="col">Valid</th>
                  <th scope="col">Permissions</th>
                  <th scope="col">Services</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((k) => (
                  <tr key={k.id}>
                    <td className="mono">{k.start}…</td>
                    <td>
                      {when(k.validFrom)} – {when(k.validTo)}
                    </td>
                    <td className="perms">{k.permissions.join(', ') || 'none'}</td>
                    <td>{k.services.length ? `${k.services.length} service(s)` : 'all'}</td>
                    <td>
                      {k.createdBy}
                      <div className="hint">{when(k.createdAt)}</div>
                    </td>
                    <td>
                      {k.revoked ? (
                        <span className="badge revoked">revoked {k.revokedAt ? when(k.revokedAt) : ''}</span>
                      ) : (
                        <ConfirmButton
                          label="Revoke"
                          what={`key ${k.start}`}
                          danger
                          title={`Revoke the key starting ${k.start}?`}
                          confirmLabel="Revoke key"
                          onConfirm={async () => {
                            await send('DELETE', `/auth/api-keys/${k.id}`);
                            list.reload();
                          }}
                        >
                          <p>Callers using this key are refused at once, on every node.</p>
                        </ConfirmButton>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list.data.data.length === 0 ? <p>No API keys yet.</p> : null}
            <Pager label="API keys" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
          </>
        ) : null}
      </section>
    </>
  );
}

function CreateKey(props: { onCreated: (key: string) => void }) {
  const [validTo, setValidTo] = useState(inDays(90));
  const [permissions, setPermissions] = useState<string[]>([]);
  const [services, setServices] = useState<string[]>([]);
  const catalogue = usePermissionCatalogue();
  const svc = useLoad(() => getPage<ApiService>('/services', { pageSize: 500 }), []);
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (!validTo) throw new Error('Choose until when the key is valid.');
      const key = await send<ApiKeyCreated>('POST', '/auth/api-key', { validTo: new Date(validTo).toISOString(), permissions, services });
      setPermissions([]);
      setServices([]);
      props.onCreated(key);
    });
  };
  return (
    <Disclosure summary="Create an API key">
      <form onSubmit={submit} aria-label="Create an API key">
        <Field label="Valid until" type="datetime-local" value={validTo} onChange={setValidTo} required />
        <div className="grid2">
          <MultiSelect
            label="Permissions"
            value={permissions}
            onChange={setPermissions}
            options={permissionOptions(catalogue.data)}
            hint="Ctrl/Shift-click (or Space with arrows) to pick several. None: the key can only reach services that require no permission."
          />
          <MultiSelect label="Services" value={services} onChange={setServices} options={(svc.data?.data ?? []).map((s): [string, string] => [s.id, `${s.name} (${s.routePrefix})`])} hint="None selected: all services." />
        </div>
        <ErrorText error={catalogue.error ?? svc.error} />
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </form>
    </Disclosure>
  );
}
