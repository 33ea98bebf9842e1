/** One category: what it is, rename / move / privacy, delete, and its Members and Entries panels. */
import { useEffect, useState, type FormEvent } from 'react';
import { getData, send } from '../../api/client';
import type { Category } from '../../api/types';
import { Check, ConfirmButton, ErrorText, Link, Loading, Notice, PageTitle, useLoad, useSubmit, when } from '../../components/ui';
import { navigate } from '../../router';
import { useMe } from '../../session';
import { EntriesPanel, MembersPanel } from './category-panels';
import { ancestorName, bodyOf, CategoryFields, contextsOf, draftOf, membersSource, privacyLabel, rightsOf, type CategoryRights } from './category-form';

export function CategoryPage(props: { id: number }) {
  const rights = rightsOf(useMe());
  const one = useLoad(() => getData<Category>(`/categories/${props.id}`), [props.id]);
  const [done, setDone] = useState('');
  useEffect(() => setDone(''), [props.id]);

  if (one.error) {
    return (
      <>
        <PageTitle>Category</PageTitle>
        <ErrorText error={one.error} />
        <Link to="/categories">Back to the categories</Link>
      </>
    );
  }
  if (!one.data) return <Loading />;
  const c = one.data;
  const changed = (message: string) => {
    setDone(message);
    one.reload();
  };

  return (
    <>
      <PageTitle intro={<Link to="/categories">← All categories</Link>}>Category: {c.fullName}</PageTitle>
      {done ? <Notice>{done}</Notice> : null}
      <Facts c={c} />
      {rights.edit ? <Settings key={c.updatedAt} c={c} rights={rights} onSaved={changed} /> : null}
      <MembersPanel c={c} rights={rights} onChanged={changed} />
      <EntriesPanel c={c} rights={rights} onChanged={changed} />
      {rights.edit ? <DeleteCategory c={c} /> : null}
    </>
  );
}

function Facts(props: { c: Category }) {
  const { c } = props;
  const ctx = contextsOf(c);
  return (
    <dl className="facts card">
      <dt>Id</dt>
      <dd>
        {c.id} (full ids <span className="mono">{c.fullIds}</span>)
      </dd>
      <dt>Parent</dt>
      <dd>{c.parentId === null ? 'none (a root category)' : <Link to={`/categories/${c.parentId}`}>{ancestorName(c, c.parentId)}</Link>}</dd>
      <dt>Privacy</dt>
      <dd>{privacyLabel(c.privacy)}</dd>
      <dt>Privacy context</dt>
      <dd>
        {ctx.own.length ? `${ctx.own.join(', ')} (its own)` : 'none of its own'}
        {ctx.inherited.length ? `; inherited: ${ctx.inherited.join(', ')}` : ''}
      </dd>
      <dt>Members</dt>
      <dd>
        {c.membersCount}, {membersSource(c)}
        {c.owner ? ` · owner ${c.owner}` : ''}
      </dd>
      <dt>Entries</dt>
      <dd>
        {c.entriesCount} in it and its subcategories, {c.directEntriesCount} directly
        {c.pendingEntriesCount ? `, ${c.pendingEntriesCount} pending` : ''}
      </dd>
      <dt>Subcategories</dt>
      <dd>{c.directSubCategoriesCount}</dd>
      <dt>Updated</dt>
      <dd>{when(c.updatedAt)}</dd>
    </dl>
  );
}

/** Rename, move (parent), privacy, context and inheritance: only what changed is sent. */
function Settings(props: { c: Category; rights: CategoryRights; onSaved: (message: string) => void }) {
  const before = draftOf(props.c);
  const [draft, setDraft] = useState(before);
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body = bodyOf(draft, props.rights, before);
      if (Object.keys(body).length === 0) throw new Error('Nothing changed.');
      const saved = await send<Category>('PATCH', `/categories/${props.c.id}`, body);
      props.onSaved(`Category ${saved.fullName} saved.`);
    });
  };
  return (
    <section aria-labelledby="category-settings" className="card">
      <h2 id="category-settings">Rename, move or change privacy</h2>
      <form onSubmit={submit} aria-label={`Settings of ${props.c.name}`}>
        <CategoryFields draft={draft} onChange={setDraft} rights={props.rights} exclude={props.c.id} />
        <p className="hint">A move or a context change applies to the whole subtree (paths, inherited contexts and members).</p>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Save category
        </button>
      </form>
    </section>
  );
}

function DeleteCategory(props: { c: Category }) {
  const { c } = props;
  const [move, setMove] = useState(true);
  const subtree = c.directSubCategoriesCount > 0 ? ' and its subcategories' : '';
  return (
    <section aria-labelledby="category-delete">
      <h2 id="category-delete">Delete</h2>
      <ConfirmButton
        label="Delete category"
        what={c.fullName}
        danger
        title={`Delete ${c.fullName}${subtree}?`}
        confirmLabel="Delete category"
        onConfirm={async () => {
          await send('DELETE', `/categories/${c.id}?moveEntriesToParent=${move}`);
          navigate('/categories');
        }}
      >
        <p>
          The category{subtree} and their memberships go. {c.entriesCount === 1 ? 'One entry is' : `${c.entriesCount} entries are`} in it; the entries themselves are not deleted.
        </p>
        {c.parentId !== null ? (
          <Check label={`Move its entries to the parent (${ancestorName(c, c.parentId)})`} checked={move} onChange={setMove} hint="Otherwise they simply leave these categories." />
        ) : (
          <p className="hint">A root category: its entries leave the categories.</p>
        )}
      </ConfirmButton>
    </section>
  );
}
