/** Access-control profiles: list, create, delete, and the rule editor with an inline simulator. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { getData, getPage, send } from '../../api/client';
import type { KObject, Profile } from '../../api/types';
import { Check, ConfirmButton, Disclosure, ErrorText, Field, Link, Loading, Notice, PageTitle, useLoad, useSubmit, when } from '../../components/ui';
import { navigate } from '../../router';
import { RulesEditor } from '../../rules/editor';
import { cleanRules } from '../../rules/model';
import { Simulator } from './simulator';

export function ProfilesPage(props: { path: string }) {
  const m = /^\/profiles\/(\d+)$/.exec(props.path);
  if (m) return <ProfileEditor id={Number(m[1])} />;
  return <ProfileList />;
}

function ProfileList() {
  const list = useLoad(() => getPage<Profile>('/access-control-profiles', { pageSize: 500 }), []);
  return (
    <>
      <PageTitle intro="A profile is an ordered list of rules deciding who may play, download or see an entry (by country, IP, site, user agent, session…). Entries without their own profile use the partner default.">
        Access control
      </PageTitle>
      <CreateProfile />
      <section aria-labelledby="profiles-list">
        <h2 id="profiles-list">Profiles</h2>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <table>
            <caption className="sr-only">Access-control profiles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Rules</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/profiles/${p.id}`}>{p.name}</Link>
                    {p.isDefault ? <span className="badge active"> default</span> : null}
                    <div className="hint">
                      id {p.id}
                      {p.systemName ? ` · ${p.systemName}` : ''}
                      {p.description ? ` · ${p.description}` : ''}
                    </div>
                  </td>
                  <td>{p.rules.length}</td>
                  <td>{when(p.updatedAt)}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => navigate(`/profiles/${p.id}`)}>
                      Edit rules<span className="sr-only"> of {p.name}</span>
                    </button>
                    {p.isDefault ? null : (
                      <ConfirmButton
                        label="Delete"
                        what={p.name}
                        danger
                        title={`Delete profile ${p.name}?`}
                        confirmLabel="Delete profile"
                        onConfirm={async () => {
                          await send('DELETE', `/access-control-profiles/${p.id}`);
                          list.reload();
                        }}
                      >
                        <p>Entries using it fall back to the partner's default profile.</p>
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}

function CreateProfile() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const p = await send<Profile>('POST', '/access-control-profiles', { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}), rules: [] });
      navigate(`/profiles/${p.id}`);
    });
  };
  return (
    <Disclosure summary="Create a profile">
      <form onSubmit={submit} aria-label="Create a profile">
        <div className="grid2">
          <Field label="Profile name" value={name} onChange={setName} required hint="e.g. Geo block" />
          <Field label="Description" value={description} onChange={setDescription} />
        </div>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create and edit rules
        </button>
      </form>
    </Disclosure>
  );
}

function ProfileEditor(props: { id: number }) {
  const one = useLoad(() => getData<Profile>(`/access-control-profiles/${props.id}`), [props.id]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [makeDefault, setMakeDefault] = useState(false);
  const [rules, setRules] = useState<KObject[]>([]);
  const [saved, setSaved] = useState('');
  const [dirty, setDirty] = useState(false);
  const rulesRef = useRef(rules);
  rulesRef.current = rules;
  const { busy, error, run } = useSubmit();

  useEffect(() => {
    if (!one.data) return;
    setName(one.data.name);
    setDescription(one.data.description);
    setRules(one.data.rules);
    setMakeDefault(false);
    setDirty(false);
  }, [one.data]);

  if (one.error) {
    return (
      <>
        <PageTitle>Access-control profile</PageTitle>
        <ErrorText error={one.error} />
        <Link to="/profiles">Back to the profiles</Link>
      </>
    );
  }
  if (!one.data) return <Loading />;
  const p = one.data;

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = { name: name.trim(), description, rules: cleanRules(rules) };
      if (makeDefault) body.isDefault = true;
      await send('PATCH', `/access-control-profiles/${p.id}`, body);
      setSaved(`Profile saved at ${new Date().toLocaleTimeString()}.`);
      one.reload();
    });
  };

  return (
    <>
      <PageTitle intro={<Link to="/profiles">← All profiles</Link>}>Profile: {p.name}</PageTitle>
      <form onSubmit={save} aria-label={`Edit profile ${p.name}`}>
        <div className="grid2">
          <Field label="Profile name" value={name} onChange={(v) => { setName(v); setDirty(true); }} required />
          <Field label="Description" value={description} onChange={(v) => { setDescription(v); setDirty(true); }} />
        </div>
        {p.isDefault ? <p className="hint">This is the partner's default profile: entries without their own profile use it.</p> : <Check label="Make this the partner's default profile" checked={makeDefault} onChange={(v) => { setMakeDefault(v); setDirty(true); }} />}
        <h2>Rules</h2>
        <RulesEditor rules={rules} onChange={(r) => { setRules(r); setDirty(true); setSaved(''); }} />
        <ErrorText error={error} />
        {saved ? <Notice>{saved}</Notice> : null}
        <div className="inline">
          <button type="submit" className="primary" disabled={busy}>
            Save profile
          </button>
          {dirty ? <span className="hint">Unsaved changes.</span> : null}
        </div>
      </form>
      <Simulator rules={() => cleanRules(rulesRef.current)} heading="Simulate these rules" />
    </>
  );
}
