/**
 * A value now, or a promise of it: what a lookup returns when it may answer from a cache. The hot
 * paths (delivery, forward-auth) continue synchronously when every step answered from memory —
 * a resolved promise still costs a trip through the microtask queue per step — and the same code
 * awaits when a step had to read the database. One implementation per step, no sync/async twins.
 */
export type Maybe<T> = T | Promise<T>;

export function isPromise<T>(v: Maybe<T>): v is Promise<T> {
  return v instanceof Promise;
}
