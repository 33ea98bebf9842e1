/** The audit log: who did what to what, when, from where; filters and pages, newest first. */
import { useState, type FormEvent } from 'react';
import { getPage } from '../api/client';
import type { AuditEvent } from '../api/types';
import { ErrorText, Field, Loading, PageTitle, Pager, useLoad, when } from '../components/ui';

const PAGE_SIZE = 50;

export function AuditPage() {
  const [f, setF] = useState({ actor: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(f);
  const [pageIndex, setPageIndex] = useState(1);
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
  const list = useLoad(
    () =>
      getPage<AuditEvent>('/audit', {
        actor: applied.actor.trim(),
        action: applied.action.trim(),
        from: applied.from ? new Date(applied.from).toISOString() : '',
        to: applied.to ? new Date(applied.to).toISOString() : '',
        pageIndex,
        pageSize: PAGE_SIZE,
      }),
    [applied, pageIndex],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPageIndex(1);
    setApplied(f);
  };
  return (
    <>
      <PageTitle intro="Every change and every sign-in attempt of this account, newest first. Secrets, passwords and session strings are never recorded.">Audit log</PageTitle>
      <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
        <Field label="Actor" value={f.actor} onChange={set('actor')} hint="Exactly, e.g. pat@example.edu" />
        <Field label="Action" value={f.action} onChange={set('action')} hint="Exactly, e.g. user.update" />
        <Field label="From" type="datetime-local" value={f.from} onChange={set('from')} />
        <Field label="To" type="datetime-local" value={f.to} onChange={set('to')} />
        <button type="submit">Filter</button>
        <button
          type="button"
          onClick={() => {
            const empty = { actor: '', action: '', from: '', to: '' };
            setF(empty);
            setApplied(empty);
            setPageIndex(1);
          }}
        >
          Clear
        </button>
      </form>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <table>
            <caption className="sr-only">Audit events</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">IP</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at)}</td>
                  <td>{e.actor}</td>
                  <td className="mono">{e.action}</td>
                  <td>{e.target || '—'}</td>
                  <td>
                    <span className={`badge ${e.outcome === 'success' ? 'active' : 'blocked'}`}>{e.outcome}</span>
                  </td>
                  <td className="mono">{e.ip || '—'}</td>
                  <td className="perms mono">{details(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.data.length === 0 ? <p>No events match.</p> : null}
          <Pager label="Audit events" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
        </>
      ) : null}
    </>
  );
}

function details(d: unknown): string {
  if (!d || (typeof d === 'object' && Object.keys(d).length === 0)) return '—';
  return JSON.stringify(d);
}
