/**
 * A tiny Kaltura api_v3 client: one POST per call to `/api_v3/service/<service>/action/<action>`
 * with a JSON body and `format=1`, exactly as the official clients send it (protocol §1.4), so the
 * CLI works against Gatehouse and against a Kaltura server alike.
 */
import { ClientFailure } from '../errors.js';

/** A KalturaAPIException answered by the server: its code, message and arguments. */
export class KalturaApiError extends Error {
  readonly code: string;
  readonly args: Readonly<Record<string, string>>;
  constructor(code: string, message: string, args: Record<string, string> = {}) {
    super(message);
    this.name = 'KalturaApiError';
    this.code = code;
    this.args = args;
  }
}

/** A parameter value: primitives and nested objects (a Kaltura object carries `objectType`). */
export type Param = string | number | boolean | null | undefined | { [k: string]: Param } | Param[];

export interface KalturaClientOptions {
  /** The service URL, e.g. `https://gatehouse.example.edu` (a trailing `/api_v3` is tolerated). */
  url: string;
  /** The KS sent with every call; none for session.start / startWidgetSession. */
  ks?: string | undefined;
  /** Per-call time limit in milliseconds. */
  timeoutMs?: number;
}

export class KalturaClient {
  readonly url: string;
  readonly ks: string | undefined;
  private readonly timeoutMs: number;

  constructor(opts: KalturaClientOptions) {
    this.url = normalizeServiceUrl(opts.url);
    this.ks = opts.ks;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** The same client with another KS. */
  withKs(ks: string): KalturaClient {
    return new KalturaClient({ url: this.url, ks, timeoutMs: this.timeoutMs });
  }

  /** Calls `service.action`; resolves with the decoded result or rejects with a {@link KalturaApiError}. */
  async call<T>(service: string, action: string, params: Record<string, Param> = {}): Promise<T> {
    const body: Record<string, Param> = { ...params, format: 1 };
    // As the official client: the client-level KS overwrites an action parameter of the same name.
    if (this.ks) body.ks = this.ks;
    const endpoint = `${this.url}/api_v3/service/${service.toLowerCase()}/action/${action}`;
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        // Exactly `application/json`: Kaltura ignores a JSON body whose content type has a charset (protocol §1.2).
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body, (_k, v: unknown) => (v === null ? undefined : v)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const inner = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
      const cause = inner?.code ?? inner?.message ?? (e instanceof Error ? e.message : String(e));
      throw new ClientFailure('CONNECTION_FAILED', `cannot reach ${this.url} (${cause})`);
    }
    const text = await res.text();
    if (!res.ok) throw new ClientFailure('HTTP_ERROR', `${service}.${action} answered HTTP ${res.status}`);
    let value: unknown;
    try {
      value = text.trim() === '' ? null : JSON.parse(text);
    } catch {
      throw new ClientFailure('BAD_RESPONSE', `${service}.${action} did not answer JSON; is ${this.url} a Kaltura api_v3 server?`);
    }
    if (isException(value)) {
      const args = value.args && !Array.isArray(value.args) ? (value.args as Record<string, string>) : {};
      throw new KalturaApiError(String(value.code), String(value.message), args);
    }
    return value as T;
  }
}

function isException(v: unknown): v is { code: unknown; message: unknown; args?: unknown } {
  // The official client's rule (protocol §1.4): an object with a truthy code and message is an error.
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Boolean((v as { code?: unknown }).code) && Boolean((v as { message?: unknown }).message);
}

/** `https://host/`, `https://host/api_v3/` → `https://host`. */
export function normalizeServiceUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/api_v3$/, '');
}

/** A Kaltura list response. */
export interface ListResponse<T> {
  objects?: T[];
  totalCount: number;
}

/**
 * Every object of a list action, page by page (pageSize 500, the server's maximum, protocol §1.6).
 * Stops at totalCount, at a short page, or after 200 pages as a guard against a server that never ends.
 */
export async function listAll<T>(client: KalturaClient, service: string, filter: Record<string, Param>): Promise<T[]> {
  const pageSize = 500;
  const all: T[] = [];
  for (let pageIndex = 1; pageIndex <= 200; pageIndex++) {
    const r = await client.call<ListResponse<T>>(service, 'list', { filter, pager: { objectType: 'KalturaFilterPager', pageSize, pageIndex } });
    const objects = r.objects ?? [];
    all.push(...objects);
    if (objects.length < pageSize || all.length >= r.totalCount) break;
  }
  return all;
}
