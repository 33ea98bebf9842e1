/**
 * A request parameter as PHP prints it in a message. Parameters are trees of null-prototype maps
 * (params.ts), which have no toString: `String()` on one throws, and a client's `format[a]=1` or
 * `{"language":{}}` would become a fault. PHP prints an array as `Array`; so does this.
 */
export function phpString(v: unknown): string {
  return typeof v === 'object' && v !== null ? 'Array' : String(v);
}
