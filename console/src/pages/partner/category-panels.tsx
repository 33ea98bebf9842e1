/** A category's Members panel (list, add by user id with a level, change level, remove) and Entries panel (list, add by id, remove). */
import { useState, type FormEvent } from 'react';
import { getPage, send } from '../../api/client';
import type { Category, CategoryLink, CategoryMember, PermissionLevel } from '../../api/types';
import { ConfirmButton, ErrorText, Field, Link, Loading, Pager, Select, useLoad, useSubmit, when } from '../../components/ui';
import { ancestorName, levelLabel, LEVELS, membersSource, type CategoryRights } from './category-form';

const PAGE_SIZE = 50;

interface PanelProps {
  c: Category;
  rights: CategoryRights;
  /** A change was made: the message, and the category (its counters) reloads. */
  onChanged: (message: string) => void;
}

export function MembersPanel(props: PanelProps) {
  if (!props.rights.readMembers) {
    return (
      <section aria-labelledby="category-members" className="card">
        <h2 id="category-members">Members</h2>
        <p className="hint">
          {props.c.membersCount} members ({membersSource(props.c)}). Listing them needs CONTENT_MANAGE_ASSIGN_CATEGORIES or KMC_READ_ONLY.
        </p>
      </section>
    );
  }
  return <MemberList {...props} />;
}

function MemberList(props: PanelProps) {
  const { c } = props;
  const [pageIndex, setPageIndex] = useState(1);
  // The category reloads after every change (new counters): the list follows its updatedAt and counts.
  const list = useLoad(() => getPage<CategoryMember>(`/categories/${c.id}/members`, { pageIndex, pageSize: PAGE_SIZE }), [c.id, pageIndex, c.membersCount, c.pendingMembersCount, c.updatedAt]);
  const inherited = c.inheritanceType === 'inherit';
  const changed = (message: string) => {
    props.onChanged(message);
    list.reload();
  };
  return (
    <section aria-labelledby="category-members" className="card">
      <h2 id="category-members">Members</h2>
      {inherited ? (
        <p className="hint">
          This category has the members of {c.inheritedFromId === null ? 'its parent' : <Link to={`/categories/${c.inheritedFromId}`}>{ancestorName(c, c.inheritedFromId)}</Link>}: add, change and remove them there.
        </p>
      ) : null}
      {!inherited && props.rights.assign ? <AddMember c={c} onAdded={changed} /> : null}
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <table>
            <caption className="sr-only">Members of {c.fullName}</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Level</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
                {!inherited && props.rights.assign ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((m) => (
                <tr key={m.userId}>
                  <td>
                    {m.userId}
                    {m.userId === c.owner ? <span className="hint block">owner</span> : null}
                  </td>
                  <td>{levelLabel(m.permissionLevel)}</td>
                  <td>
                    <span className={`badge ${m.status === 'active' ? 'active' : 'no'}`}>{m.status}</span>
                  </td>
                  <td>{when(m.createdAt)}</td>
                  {!inherited && props.rights.assign ? (
                    <td className="row-actions">
                      <MemberActions c={c} m={m} onChanged={changed} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.totalCount === 0 ? <p>No members.</p> : null}
          <Pager label="Members" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
        </>
      ) : null}
    </section>
  );
}

function AddMember(props: { c: Category; onAdded: (message: string) => void }) {
  const [userId, setUserId] = useState('');
  const [level, setLevel] = useState<PermissionLevel>('member');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const m = await send<CategoryMember>('POST', `/categories/${props.c.id}/members`, { userId: userId.trim(), permissionLevel: level });
      setUserId('');
      props.onAdded(`${m.userId} is now a member of ${props.c.fullName} (${levelLabel(m.permissionLevel)}).`);
    });
  };
  return (
    <form onSubmit={submit} aria-label="Add a member" className="inline">
      <Field label="User id" value={userId} onChange={setUserId} required hint="A user of this partner (created when there is none)." />
      <Select label="Permission level" value={level} onChange={(v) => setLevel(v as PermissionLevel)} options={LEVELS} />
      <button type="submit" className="primary" disabled={busy}>
        Add member
      </button>
      <ErrorText error={error} />
    </form>
  );
}

function MemberActions(props: { c: Category; m: CategoryMember; onChanged: (message: string) => void }) {
  const { c, m } = props;
  const [level, setLevel] = useState<PermissionLevel>(m.permissionLevel);
  const path = `/categories/${c.id}/members/${encodeURIComponent(m.userId)}`;
  return (
    <>
      <ConfirmButton
        label="Level"
        what={m.userId}
        title={`Level of ${m.userId} in ${c.fullName}`}
        confirmLabel="Save level"
        onConfirm={async () => {
          const saved = await send<CategoryMember>('PATCH', path, { permissionLevel: level });
          props.onChanged(`${m.userId} is now ${levelLabel(saved.permissionLevel)} of ${c.fullName}.`);
        }}
      >
        <Select label="Permission level" value={level} onChange={(v) => setLevel(v as PermissionLevel)} options={LEVELS} hint="Managers manage the category and its members; contributors may add entries; members see them." />
      </ConfirmButton>
      <ConfirmButton
        label="Remove"
        what={m.userId}
        danger
        title={`Remove ${m.userId} from ${c.fullName}?`}
        confirmLabel="Remove member"
        onConfirm={async () => {
          await send('DELETE', path);
          props.onChanged(`${m.userId} removed from ${c.fullName}.`);
        }}
      >
        <p>When entitlement applies, {m.userId} no longer sees entries that only this category opened to them.</p>
      </ConfirmButton>
    </>
  );
}

export function EntriesPanel(props: PanelProps) {
  const { c } = props;
  const [pageIndex, setPageIndex] = useState(1);
  const list = useLoad(() => getPage<CategoryLink>(`/categories/${c.id}/entries`, { pageIndex, pageSize: PAGE_SIZE }), [c.id, pageIndex, c.directEntriesCount, c.pendingEntriesCount, c.updatedAt]);
  const changed = (message: string) => {
    props.onChanged(message);
    list.reload();
  };
  return (
    <section aria-labelledby="category-entries" className="card">
      <h2 id="category-entries">Entries</h2>
      <p className="hint">The entries put directly into this category (its subcategories’ entries are on their own pages).</p>
      {props.rights.assign ? <AddEntry c={c} onAdded={changed} /> : null}
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <table>
            <caption className="sr-only">Entries of {c.fullName}</caption>
            <thead>
              <tr>
                <th scope="col">Entry id</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                {props.rights.assign ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((l) => (
                <tr key={l.entryId}>
                  <td className="mono">{l.entryId}</td>
                  <td>{l.status === 'pending' ? 'pending (awaits a moderator)' : l.status}</td>
                  <td>
                    {when(l.createdAt)}
                    {l.creatorUserId ? <span className="hint block">by {l.creatorUserId}</span> : null}
                  </td>
                  {props.rights.assign ? (
                    <td className="row-actions">
                      <ConfirmButton
                        label="Remove"
                        what={l.entryId}
                        danger
                        title={`Take ${l.entryId} out of ${c.fullName}?`}
                        confirmLabel="Remove entry"
                        onConfirm={async () => {
                          await send('DELETE', `/categories/${c.id}/entries/${encodeURIComponent(l.entryId)}`);
                          changed(`${l.entryId} taken out of ${c.fullName}.`);
                        }}
                      >
                        <p>The entry itself stays; only its place in this category goes.</p>
                      </ConfirmButton>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.totalCount === 0 ? <p>No entries directly in this category.</p> : null}
          <Pager label="Entries" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
        </>
      ) : null}
    </section>
  );
}

function AddEntry(props: { c: Category; onAdded: (message: string) => void }) {
  const [entryId, setEntryId] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const l = await send<CategoryLink>('POST', `/categories/${props.c.id}/entries`, { entryId: entryId.trim() });
      setEntryId('');
      props.onAdded(`${l.entryId} put into ${props.c.fullName}${l.status === 'pending' ? ' (pending a moderator)' : ''}.`);
    });
  };
  return (
    <form onSubmit={submit} aria-label="Add an entry" className="inline">
      <Field label="Entry id" value={entryId} onChange={setEntryId} required hint="e.g. 0_ab12cd34 (see the Entries page)" />
      <button type="submit" className="primary" disabled={busy}>
        Add entry
      </button>
      <ErrorText error={error} />
    </form>
  );
}
