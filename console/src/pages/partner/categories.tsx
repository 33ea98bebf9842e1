/**
 * Categories: the partner's tree (each level loaded when opened, so ten thousand categories cost
 * nothing until asked for), search, create; `/categories/{id}` is one category's page.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { getPage, send } from '../../api/client';
import type { Category } from '../../api/types';
import { Disclosure, ErrorText, Field, Link, Loading, Notice, Pager, PageTitle, useLoad, useSubmit } from '../../components/ui';
import { useMe } from '../../session';
import { CategoryPage } from './category';
import { bodyOf, CategoryFields, contextsOf, EMPTY_DRAFT, membersSource, privacyLabel, rightsOf, type CategoryRights } from './category-form';

const PAGE_SIZE = 50;
/** Children shown under an opened category; more are reached by search. */
const CHILDREN_PAGE = 200;
const COLUMNS = 5;

export function CategoriesPage(props: { path: string }) {
  const m = /^\/categories\/(\d+)$/.exec(props.path);
  if (m) return <CategoryPage id={Number(m[1])} />;
  return <CategoryList />;
}

function CategoryList() {
  const rights = rightsOf(useMe());
  const [search, setSearch] = useState('');
  const [context, setContext] = useState('');
  const [applied, setApplied] = useState({ search: '', privacyContext: '' });
  const [done, setDone] = useState('');
  const [generation, setGeneration] = useState(0);
  const filtered = applied.search !== '' || applied.privacyContext !== '';

  return (
    <>
      <PageTitle intro="Categories hold entries in a tree. A category with a privacy context restricts who sees its entries when entitlement applies: everyone in the context, signed-in users, or its members only.">Categories</PageTitle>
      {done ? <Notice>{done}</Notice> : null}
      {rights.edit ? (
        <CreateCategory
          rights={rights}
          generation={generation}
          onCreated={(c) => {
            setDone(`Category ${c.fullName} created (id ${c.id}).`);
            setGeneration((g) => g + 1);
          }}
        />
      ) : null}
      <section aria-labelledby="categories-list">
        <h2 id="categories-list">{filtered ? 'Matching categories' : 'Category tree'}</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ search: search.trim(), privacyContext: context.trim() });
          }}
        >
          <Field label="Search by name, description or tags" value={search} onChange={setSearch} />
          <Field label="With privacy context" value={context} onChange={setContext} hint="* for any context" />
          <button type="submit">Filter</button>
          {filtered ? (
            <button
              type="button"
              onClick={() => {
                setSearch('');
                setContext('');
                setApplied({ search: '', privacyContext: '' });
              }}
            >
              Show the whole tree
            </button>
          ) : null}
        </form>
        {filtered ? <Matches filter={applied} generation={generation} /> : <Tree generation={generation} />}
      </section>
    </>
  );
}

/** The roots, a page at a time; each row opens onto its children. */
function Tree(props: { generation: number }) {
  const [pageIndex, setPageIndex] = useState(1);
  const roots = useLoad(() => getPage<Category>('/categories', { parentId: 0, pageIndex, pageSize: PAGE_SIZE }), [pageIndex, props.generation]);
  return (
    <>
      <ErrorText error={roots.error} />
      {roots.loading && !roots.data ? <Loading /> : null}
      {roots.data ? (
        <>
          <CategoryTable caption="Category tree">
            {roots.data.data.map((c) => (
              <Row key={c.id} c={c} tree generation={props.generation} />
            ))}
          </CategoryTable>
          {roots.data.totalCount === 0 ? <p>No categories yet.</p> : null}
          <Pager label="Root categories" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={roots.data.totalCount} onPage={setPageIndex} />
        </>
      ) : null}
    </>
  );
}

/** Search results: a flat list by full name. */
function Matches(props: { filter: { search: string; privacyContext: string }; generation: number }) {
  const [pageIndex, setPageIndex] = useState(1);
  const list = useLoad(() => getPage<Category>('/categories', { ...props.filter, pageIndex, pageSize: PAGE_SIZE }), [props.filter, pageIndex, props.generation]);
  return (
    <>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <CategoryTable caption="Matching categories">
            {list.data.data.map((c) => (
              <Row key={c.id} c={c} tree={false} generation={props.generation} />
            ))}
          </CategoryTable>
          {list.data.totalCount === 0 ? <p>No categories match.</p> : null}
          <Pager label="Matching categories" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
        </>
      ) : null}
    </>
  );
}

function CategoryTable(props: { caption: string; children: ReactNode }) {
  return (
    <table className="tree">
      <caption className="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Category</th>
          <th scope="col">Privacy</th>
          <th scope="col">Privacy context</th>
          <th scope="col">Members</th>
          <th scope="col">Entries</th>
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** One category; in the tree, indented by depth and with a button that shows its children. */
function Row(props: { c: Category; tree: boolean; generation: number }) {
  const { c } = props;
  const [open, setOpen] = useState(false);
  const ctx = contextsOf(c);
  const hasChildren = c.directSubCategoriesCount > 0;
  return (
    <>
      <tr>
        <td>
          <div className={props.tree ? `tree-name depth-${Math.min(c.depth, 8)}` : 'tree-name'}>
            {props.tree && hasChildren ? (
              <button type="button" className="twisty" aria-expanded={open} onClick={() => setOpen(!open)}>
                <span className="sr-only">
                  Subcategories of {c.name} ({c.directSubCategoriesCount})
                </span>
              </button>
            ) : props.tree ? (
              <span className="twisty-space" aria-hidden="true" />
            ) : null}
            <span>
              <Link to={`/categories/${c.id}`}>{props.tree ? c.name : c.fullName}</Link>
              <span className="hint block">
                {props.tree && c.depth > 0 ? `${c.fullName} · ` : ''}id {c.id}
                {hasChildren ? ` · ${c.directSubCategoriesCount} subcategories` : ''}
              </span>
            </span>
          </div>
        </td>
        <td>{privacyLabel(c.privacy)}</td>
        <td>
          {ctx.own.length ? ctx.own.join(', ') : '—'}
          {ctx.inherited.length ? <span className="hint block">inherited: {ctx.inherited.join(', ')}</span> : null}
        </td>
        <td>
          {c.membersCount}
          {c.pendingMembersCount ? ` (+${c.pendingMembersCount} pending)` : ''}
          <span className="hint block">{membersSource(c)}</span>
        </td>
        <td>
          {c.entriesCount}
          <span className="hint block">{c.directEntriesCount} directly</span>
        </td>
      </tr>
      {open ? <Children parent={c} generation={props.generation} /> : null}
    </>
  );
}

function Children(props: { parent: Category; generation: number }) {
  const kids = useLoad(() => getPage<Category>('/categories', { parentId: props.parent.id, pageSize: CHILDREN_PAGE }), [props.parent.id, props.generation]);
  const note = (children: ReactNode) => (
    <tr>
      <td colSpan={COLUMNS}>{children}</td>
    </tr>
  );
  if (kids.error) return note(<ErrorText error={kids.error} />);
  if (!kids.data) return note(<Loading />);
  const more = kids.data.totalCount - kids.data.data.length;
  return (
    <>
      {kids.data.data.map((c) => (
        <Row key={c.id} c={c} tree generation={props.generation} />
      ))}
      {more > 0 ? note(<span className="hint">{more} more under {props.parent.fullName}: search for them by name.</span>) : null}
    </>
  );
}

function CreateCategory(props: { rights: CategoryRights; generation: number; onCreated: (c: Category) => void }) {
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const c = await send<Category>('POST', '/categories', bodyOf(draft, props.rights));
      setDraft(EMPTY_DRAFT);
      props.onCreated(c);
    });
  };
  return (
    <Disclosure summary="Create a category">
      <form onSubmit={submit} aria-label="Create a category">
        <CategoryFields draft={draft} onChange={setDraft} rights={props.rights} generation={props.generation} />
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create category
        </button>
      </form>
    </Disclosure>
  );
}
