/**
 * A tiny history router under /console: the server answers every /console/* path with the app
 * shell, so deep links and reloads land on the right page.
 */
import { useSyncExternalStore } from 'react';

export const BASE = '/console';

const listeners = new Set<() => void>();
function notify(): void {
  for (const l of listeners) l();
}
window.addEventListener('popstate', notify);

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The app path: `/console/users?x=1` → `/users`. */
function current(): string {
  const p = window.location.pathname;
  const rest = p.startsWith(BASE) ? p.slice(BASE.length) : p;
  return rest === '' ? '/' : rest;
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, current);
}

export function href(path: string): string {
  return `${BASE}${path === '/' ? '/' : path}`;
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const url = href(path);
  if (url === window.location.pathname) return;
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
  // Move focus to the new page's heading so keyboard and screen-reader users land on it.
  queueMicrotask(() => document.querySelector<HTMLElement>('main h1')?.focus());
}
