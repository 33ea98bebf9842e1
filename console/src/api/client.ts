/**
 * The console's one way to the REST door: JSON in, `{data}` out, every failure an ApiError whose
 * message is words a person can act on (the problem's `detail`, else its `title`).
 */

const TOKEN_KEY = 'gatehouse.console.token';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The route is not on this server (yet): the console degrades with a sentence. */
  get missingRoute(): boolean {
    return this.status === 404 && this.code === 'ROUTE_NOT_FOUND';
  }
}

/*
 * The access token lives in sessionStorage: it survives a reload but not the tab, and is never
 * sent anywhere but this origin's /api. Signing out only forgets it, so logout works even when
 * the server is down (the token expires by itself within minutes).
 */
export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: nothing to forget */
  }
}

let onUnauthorized: (message: string) => void = () => {};
/** Called when a request with a token answers 401 (expired or revoked): the app signs out. */
export function setUnauthorizedHandler(fn: (message: string) => void): void {
  onUnauthorized = fn;
}

export interface Page<T> {
  data: T[];
  totalCount: number;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface ProblemLike {
  title?: unknown;
  detail?: unknown;
  code?: unknown;
  message?: unknown;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: ProblemLike = {};
  try {
    body = (await res.json()) as ProblemLike;
  } catch {
    /* not JSON: the status line is all we have */
  }
  const words = [body.detail, body.title, body.message].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  const code = typeof body.code === 'string' ? body.code : `HTTP_${res.status}`;
  return new ApiError(words ?? `The server answered ${res.status} ${res.statusText}`.trim(), res.status, code);
}

/** `auth: false` sends no token; `token` sends this one instead of the session's (two-factor enrolment). */
export async function request<T>(method: string, path: string, body?: unknown, opts: { auth?: boolean; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = opts.auth === false ? null : (opts.token ?? getToken());
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError('The Gatehouse server could not be reached. Check that it is running and try again.', 0, 'NETWORK');
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && token) onUnauthorized(err.message);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET `{data}` → data. */
export async function getData<T>(path: string, query?: Query): Promise<T> {
  return (await request<{ data: T }>('GET', withQuery(path, query))).data;
}

/** GET a list: `{data, totalCount}` (or `{data, page: {totalCount}}`). */
export async function getPage<T>(path: string, query?: Query): Promise<Page<T>> {
  const r = await request<{ data: T[]; totalCount?: number; page?: { totalCount?: number; total?: number } }>('GET', withQuery(path, query));
  const total = r.totalCount ?? r.page?.totalCount ?? r.page?.total ?? r.data.length;
  return { data: r.data, totalCount: total };
}

export async function send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const r = await request<{ data: T } | undefined>(method, path, body);
  return (r?.data ?? undefined) as T;
}

/** Words for any thrown value. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
