/** Entries (metadata only): list with their categories, create test entries, assign an access-control profile, schedule. */
import { useState, type FormEvent } from 'react';
import { ApiError, getPage, send } from '../../api/client';
import type { Entry, EntryCategory, Profile } from '../../api/types';
import { ConfirmButton, Disclosure, ErrorText, Field, Link, Loading, Notice, Pager, PageTitle, Select, useLoad, useSubmit, when } from '../../components/ui';

const PAGE_SIZE = 25;

/** ISO → the value of a datetime-local input (local time), and back. */
function toLocal(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocal = (v: string): string | null => (v ? new Date(v).toISOString() : null);

export function EntriesPage() {
  const [pageIndex, setPageIndex] = useState(1);
  const [search, setSearch] = useState('');
  const [profileFilter, setProfileFilter] = useState('');
  const [applied, setApplied] = useState({ search: '', accessControlId: '' });
  const [done, setDone] = useState('');
  const list = useLoad(() => getPage<Entry>('/entries', { ...applied, pageIndex, pageSize: PAGE_SIZE }), [applied, pageIndex]);
  const profiles = useLoad(() => getPage<Profile>('/access-control-profiles', { pageSize: 500 }), []);
  const profileOptions: Array<[string, string]> = (profiles.data?.data ?? []).map((p) => [String(p.id), `${p.name}${p.isDefault ? ' (default)' : ''}`]);
  const profileName = (id: number | null) => (id === null ? 'partner default' : (profiles.data?.data.find((p) => p.id === id)?.name ?? `profile ${id}`));

  return (
    <>
      <PageTitle intro="Media entries (metadata only). Each can have its own access-control profile (else the partner default applies) and a schedule outside which it is not playable.">Entries</PageTitle>
      {done ? <Notice>{done}</Notice> : null}
      <CreateEntry profiles={profileOptions} onCreated={(e) => { setDone(`Entry ${e.id} created.`); list.reload(); }} />
      <section aria-labelledby="entries-list">
        <h2 id="entries-list">All entries</h2>
        <form className="filters" onSubmit={(e) => { e.preventDefault(); setPageIndex(1); setApplied({ search: search.trim(), accessControlId: profileFilter }); }}>
          <Field label="Search by name or id" value={search} onChange={setSearch} />
          <Select label="Profile" value={profileFilter} onChange={setProfileFilter} options={[['', 'Any'], ...profileOptions]} />
          <button type="submit">Filter</button>
        </form>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <>
            <table>
              <caption className="sr-only">Entries</caption>
              <thead>
                <tr>
                  <th scope="col">Entry</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Access control</th>
                  <th scope="col">Categories</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((e) => (
                  <tr key={e.id}>
                    <td>
                      {e.name}
                      <div className="hint mono">{e.id}</div>
                    </td>
                    <td>{e.userId}</td>
                    <td>{profileName(e.accessControlId)}</td>
                    <td>
                      <EntryCategories entryId={e.id} updatedAt={e.updatedAt} />
                    </td>
                    <td>
                      {e.startDate || e.endDate ? `${e.startDate ? when(e.startDate) : 'any time'} – ${e.endDate ? when(e.endDate) : 'no end'}` : 'always'}
                    </td>
                    <td>
                      <EditEntry e={e} profiles={profileOptions} onSaved={() => { setDone(`Entry ${e.id} saved.`); list.reload(); }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list.data.data.length === 0 ? <p>No entries match.</p> : null}
            <Pager label="Entries" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
          </>
        ) : null}
      </section>
    </>
  );
}

/** The categories the entry is in, each a link to its category's page. */
function EntryCategories(props: { entryId: string; updatedAt: string }) {
  const links = useLoad(async () => {
    try {
      return (await getPage<EntryCategory>(`/entries/${encodeURIComponent(props.entryId)}/categories`, { pageSize: 50 })).data;
    } catch (e) {
      if (e instanceof ApiError && (e.missingRoute || e.status === 403)) return null; // an older server, or no category permission
      throw e;
    }
  }, [props.entryId, props.updatedAt]);
  if (links.error) return <ErrorText error={links.error} />;
  if (links.data === undefined) return <span className="hint">…</span>;
  if (links.data === null) return <span className="hint">not available</span>;
  if (links.data.length === 0) return <span className="hint">none</span>;
  return (
    <ul className="plain">
      {links.data.map((l) => (
        <li key={l.categoryId}>
          <Link to={`/categories/${l.categoryId}`}>{l.categoryFullName}</Link>
          {l.status === 'pending' ? <span className="hint"> (pending)</span> : null}
        </li>
      ))}
    </ul>
  );
}

function EditEntry(props: { e: Entry; profiles: Array<[string, string]>; onSaved: () => void }) {
  const e = props.e;
  const [profile, setProfile] = useState(e.accessControlId === null ? '' : String(e.accessControlId));
  const [start, setStart] = useState(toLocal(e.startDate));
  const [end, setEnd] = useState(toLocal(e.endDate));
  return (
    <ConfirmButton
      label="Access and schedule"
      what={e.name}
      title={`Access and schedule of ${e.name}`}
      confirmLabel="Save"
      onConfirm={async () => {
        await send('PATCH', `/entries/${encodeURIComponent(e.id)}`, { accessControlId: profile === '' ? null : Number(profile), startDate: fromLocal(start), endDate: fromLocal(end) });
        props.onSaved();
      }}
    >
      <Select label="Access-control profile" value={profile} onChange={setProfile} options={[['', 'Partner default'], ...props.profiles]} />
      <Field label="Available from" type="datetime-local" value={start} onChange={setStart} hint="Empty: no start." />
      <Field label="Available until" type="datetime-local" value={end} onChange={setEnd} hint="Empty: no end." />
    </ConfirmButton>
  );
}

function CreateEntry(props: { profiles: Array<[string, string]>; onCreated: (e: Entry) => void }) {
  const [name, setName] = useState('');
  const [profile, setProfile] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = { name: name.trim() };
      if (profile) body.accessControlId = Number(profile);
      if (start) body.startDate = fromLocal(start);
      if (end) body.endDate = fromLocal(end);
      const created = await send<Entry>('POST', '/entries', body);
      setName('');
      props.onCreated(created);
    });
  };
  return (
    <Disclosure summary="Create an entry">
      <form onSubmit={submit} aria-label="Create an entry">
        <div className="grid2">
          <Field label="Entry name" value={name} onChange={setName} required />
          <Select label="Access-control profile" value={profile} onChange={setProfile} options={[['', 'Partner default'], ...props.profiles]} />
          <Field label="Available from" type="datetime-local" value={start} onChange={setStart} />
          <Field label="Available until" type="datetime-local" value={end} onChange={setEnd} />
        </div>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create entry
        </button>
      </form>
    </Disclosure>
  );
}
