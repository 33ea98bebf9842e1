/**
 * The JSON response format (`format=1`; protocol §1.6), written by hand because PHP's output
 * differs from `JSON.stringify` in ways clients can see: null properties are omitted (recursively,
 * from objects only), `objectType` comes last, and `/` is escaped as `\/`.
 */

/** Nesting printed before giving up; results are ours, so this only guards against cycles. */
const MAX_DEPTH = 64;

/** Serializes one result; a void result (null/undefined) is the JSON literal `null`. */
export function toJson(value: unknown): string {
  return write(value, 0) ?? 'null';
}

/** Returns undefined for values that have no JSON form (dropped from objects, null in lists). */
function write(v: unknown, depth: number): string | undefined {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      // PHP's json_encode cannot encode INF/NAN either; treat them as absent.
      return Number.isFinite(v) ? JSON.stringify(v) : undefined;
    case 'bigint':
      return v.toString();
    case 'string':
      return str(v);
    case 'object':
      if (depth >= MAX_DEPTH) return undefined;
      return Array.isArray(v) ? writeArray(v, depth) : writeObject(v as Record<string, unknown>, depth);
    default:
      return undefined;
  }
}

// Built by string concatenation rather than part arrays and join(): V8 makes cheap rope strings of
// `+=`, and the arrays were most of this function's allocations on every response.

function writeArray(list: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += ',';
    out += write(list[i], depth + 1) ?? 'null';
  }
  return out + ']';
}

function writeObject(obj: Record<string, unknown>, depth: number): string {
  let out = '{';
  let objectType: string | undefined;
  // The API exception keeps its own order (code, message, objectType, args), as PHP prints it.
  const keepOrder = obj.objectType === 'KalturaAPIException';
  for (const key of Object.keys(obj)) {
    const value = write(obj[key], depth + 1);
    if (value === undefined) continue;
    if (key === 'objectType' && !keepOrder) {
      objectType = value;
      continue;
    }
    if (out.length > 1) out += ',';
    out += str(key) + ':' + value;
  }
  if (objectType !== undefined) out += (out.length > 1 ? ',"objectType":' : '"objectType":') + objectType;
  return out + '}';
}

/** A JSON string literal with `/` escaped as PHP's json_encode does by default. */
function str(s: string): string {
  const json = JSON.stringify(s);
  return json.includes('/') ? json.replace(/\//g, '\\/') : json;
}
