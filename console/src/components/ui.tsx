/** Small accessible building blocks: links, fields, errors, pagination, confirmation, secrets. */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { messageOf } from '../api/client';
import { href, navigate } from '../router';

export function Link(props: { to: string; children: ReactNode; current?: boolean; className?: string }) {
  return (
    <a
      href={href(props.to)}
      className={props.className}
      aria-current={props.current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

export function PageTitle(props: { children: ReactNode; intro?: ReactNode }) {
  return (
    <header className="page-head">
      <h1 tabIndex={-1}>{props.children}</h1>
      {props.intro ? <p className="intro">{props.intro}</p> : null}
    </header>
  );
}

/** An error from the server, in words, announced to screen readers. */
export function ErrorText(props: { error: unknown }) {
  if (!props.error) return null;
  return (
    <p className="error" role="alert">
      {messageOf(props.error)}
    </p>
  );
}

export function Notice(props: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {props.children}
    </p>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  required?: boolean;
  hint?: string;
  placeholder?: string;
  autoComplete?: string;
  name?: string;
  multiline?: boolean;
}

export function Field(p: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const common = {
    id,
    name: p.name,
    value: p.value,
    required: p.required,
    placeholder: p.placeholder,
    'aria-describedby': p.hint ? hintId : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      {p.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => p.onChange(e.target.value)} />
      ) : (
        <input {...common} type={p.type ?? 'text'} autoComplete={p.autoComplete} onChange={(e) => p.onChange(e.target.value)} />
      )}
      {p.hint ? (
        <small id={hintId} className="hint">
          {p.hint}
        </small>
      ) : null}
    </div>
  );
}

export function Select(p: { label: string; value: string; onChange: (v: string) => void; options: Array<[value: string, label: string]>; hint?: string; name?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      <select id={id} name={p.name} value={p.value} onChange={(e) => p.onChange(e.target.value)} aria-describedby={p.hint ? `${id}-hint` : undefined}>
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

export function Check(p: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string }) {
  const id = useId();
  return (
    <div className="field check">
      <input id={id} type="checkbox" checked={p.checked} onChange={(e) => p.onChange(e.target.checked)} />
      <label htmlFor={id}>{p.label}</label>
      {p.hint ? <small className="hint">{p.hint}</small> : null}
    </div>
  );
}

/** Previous / next with "page X of Y"; hidden when everything fits one page. */
export function Pager(p: { pageIndex: number; pageSize: number; total: number; onPage: (i: number) => void; label: string }) {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  if (p.total <= p.pageSize && p.pageIndex === 1) return <p className="count">{p.total === 1 ? '1 item' : `${p.total} items`}</p>;
  return (
    <nav className="pager" aria-label={`${p.label} pages`}>
      <button type="button" disabled={p.pageIndex <= 1} onClick={() => p.onPage(p.pageIndex - 1)}>
        Previous page
      </button>
      <span aria-live="polite">
        Page {p.pageIndex} of {pages} ({p.total} items)
      </span>
      <button type="button" disabled={p.pageIndex >= pages} onClick={() => p.onPage(p.pageIndex + 1)}>
        Next page
      </button>
    </nav>
  );
}

/**
 * A button that asks first (native <dialog>: focus is trapped and Escape cancels). The action's
 * error is shown inside the dialog, so a refused deletion is never silent.
 */
export function ConfirmButton(p: { label: string; title: string; children: ReactNode; confirmLabel: string; onConfirm: () => Promise<unknown>; danger?: boolean; className?: string; what?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  const close = () => {
    setError(null);
    ref.current?.close();
  };
  return (
    <>
      <button type="button" className={p.className ?? (p.danger ? 'danger' : undefined)} onClick={() => ref.current?.showModal()}>
        {p.label}
        {/* Which row the button acts on, for screen readers (the visible label stays short). */}
        {p.what ? <span className="sr-only"> {p.what}</span> : null}
      </button>
      <dialog ref={ref} aria-labelledby={titleId} className="confirm">
        <h2 id={titleId}>{p.title}</h2>
        <div>{p.children}</div>
        <ErrorText error={error} />
        <div className="actions">
          <button type="button" onClick={close} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className={p.danger ? 'danger' : 'primary'}
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await p.onConfirm();
                ref.current?.close();
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {p.confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}

/** A secret shown once, with a copy button. */
export function SecretOnce(p: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(p.value);
      setCopied('Copied to the clipboard.');
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
      setCopied('Selected: press Ctrl+C to copy.');
    }
  };
  return (
    <div className="secret">
      <label htmlFor={id}>{p.label}</label>
      <div className="row">
        <input id={id} readOnly value={p.value} className="mono" onFocus={(e) => e.target.select()} />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <span role="status" className="hint">
        {copied}
      </span>
    </div>
  );
}

/** A framed "shown once" box for freshly created secrets. */
export function OnceBox(p: { title: string; children: ReactNode; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="once" role="region" aria-label={p.title} tabIndex={-1} ref={ref}>
      <h2>{p.title}</h2>
      <p>
        <strong>Copy it now: it is shown only once</strong> and Gatehouse cannot show it again.
      </p>
      {p.children}
      <button type="button" onClick={p.onDone}>
        I have stored it
      </button>
    </div>
  );
}

/** Loads something and reloads on demand; errors are kept, never thrown into the render. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload };
}

/** Runs a form submission: busy flag and error, reset on success. */
export function useSubmit(): { busy: boolean; error: unknown; run: (fn: () => Promise<void>) => Promise<void>; setError: (e: unknown) => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}

export function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/**
 * A button that shows or hides a section (aria-expanded). Used instead of <details> so the hidden
 * form is not rendered at all until asked for, and its controls behave like any other.
 */
export function Disclosure(p: { summary: string; children: ReactNode; className?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className={p.className ?? 'card'}>
      <button type="button" className="disclosure" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {p.summary}
      </button>
      <div id={id} hidden={!open}>
        {open ? p.children : null}
      </div>
    </div>
  );
}
