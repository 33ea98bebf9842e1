/**
 * The few request headers a forward-auth door reads, taken from `req.rawHeaders` in one pass.
 *
 * Why: one rule for repeats. A name read here that arrives more than once is `null` ("sent more
 * than once"), where `req.headers` keeps the first `Authorization` and silently joins other
 * repeats with ", "; neither is a value a decision should rest on, since the upstream may read the
 * other copy. It is also a little cheaper than a lookup per name in `req.headers` (≈ 0.5 % of the
 * gateway's instructions per request, callgrind); Node builds that object on every request anyway.
 */
import type { IncomingMessage } from 'node:http';

/** A header's value; `undefined` when absent, `null` when sent more than once. */
export type Picked = string | null | undefined;

/** The values for `names`, in their order. */
export type PickedFor<N extends readonly string[]> = { readonly [K in keyof N]: Picked };

export class HeaderPicker<const N extends readonly string[]> {
  /**
   * Slot numbers by name length: most headers a proxy sends have a length none of ours has. Dense
   * (no holes) and read only within bounds, so the lookup stays a plain element load.
   */
  private readonly byLength: ReadonlyArray<readonly number[] | undefined>;
  private readonly none: Picked[];

  /** `names` in lower case; the values come back in this order. */
  constructor(private readonly names: N) {
    const longest = Math.max(0, ...names.map((n) => n.length));
    const byLength = Array.from({ length: longest + 1 }, (): number[] | undefined => undefined);
    names.forEach((name, slot) => {
      if (name !== name.toLowerCase()) throw new Error(`HeaderPicker: ${name} must be lower case`);
      byLength[name.length] = [...(byLength[name.length] ?? []), slot];
    });
    this.byLength = byLength;
    this.none = names.map(() => undefined);
  }

  pick(req: Pick<IncomingMessage, 'rawHeaders'>): PickedFor<N> {
    const out = this.none.slice();
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      if (name.length >= this.byLength.length) continue;
      const slots = this.byLength[name.length];
      if (slots === undefined) continue;
      for (const slot of slots) {
        const want = this.names[slot] as string;
        // Proxies send names in any case (nginx as configured, `X-Original-URI`).
        if (name !== want && name.toLowerCase() !== want) continue;
        const value: unknown = raw[i + 1];
        // Not a string: an injected request's repeated header (light-my-request keeps the array).
        out[slot] = out[slot] === undefined && typeof value === 'string' ? value : null;
        break;
      }
    }
    return out as unknown as PickedFor<N>;
  }
}
