/**
 * The Kaltura type system, as far as the wire needs it: scalar kinds, enums, object classes with
 * inheritance, arrays and maps. Action parameter tables and response classes are declared with it;
 * the decoder (`deserialize.ts`) and the serializers read it. Nothing here knows about services.
 */

export type TypeRef =
  | { readonly kind: 'int' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'float' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string' }
  /** Unix seconds; small magnitudes are relative to now (protocol §1.5). */
  | { readonly kind: 'time' }
  | { readonly kind: 'intEnum'; readonly enum: string; readonly values: readonly number[] }
  | { readonly kind: 'stringEnum'; readonly enum: string; readonly values: readonly string[] }
  | { readonly kind: 'object'; readonly cls: string }
  /** Array of objects of class `of` (arrays of strings are arrays of `KalturaString`-like objects). */
  | { readonly kind: 'array'; readonly of: string }
  /** Associative array of objects of class `of`, keys kept. */
  | { readonly kind: 'map'; readonly of: string };

export const T = {
  int: { kind: 'int' } as const,
  bigint: { kind: 'bigint' } as const,
  float: { kind: 'float' } as const,
  bool: { kind: 'bool' } as const,
  string: { kind: 'string' } as const,
  time: { kind: 'time' } as const,
  intEnum: (name: string, values: readonly number[]): TypeRef => ({ kind: 'intEnum', enum: name, values }),
  stringEnum: (name: string, values: readonly string[]): TypeRef => ({ kind: 'stringEnum', enum: name, values }),
  object: (cls: string): TypeRef => ({ kind: 'object', cls }),
  array: (of: string): TypeRef => ({ kind: 'array', of }),
  map: (of: string): TypeRef => ({ kind: 'map', of }),
};

export interface PropDef {
  readonly name: string;
  readonly type: TypeRef;
  /** Server-set: refused on add, and on update when the value differs (PROPERTY_VALIDATION_NOT_UPDATABLE). */
  readonly readonly?: boolean;
  /** Settable on add only. */
  readonly insertOnly?: boolean;
  /** Never serialized back (passwords). */
  readonly writeOnly?: boolean;
}

export interface ClassDef {
  readonly name: string;
  readonly parent?: string;
  readonly abstract?: boolean;
  /** Own properties, in wire order. Inherited ones come from `parent`. */
  readonly props: readonly PropDef[];
}

export interface ParamDef {
  readonly name: string;
  readonly type: TypeRef;
  readonly optional?: boolean;
  /** Declared default; omitted optional scalars get it cast to the type (null → 0 / '' / false). */
  readonly default?: string | number | boolean | null;
}

/**
 * A decoded Kaltura object: `objectType` is the concrete class; a property is absent when the
 * caller did not send it and `null` when the caller cleared it explicitly (`foo__null`).
 */
export interface KObject {
  objectType: string;
  [prop: string]: unknown;
}

const classes = new Map<string, ClassDef>();
const resolved = new Map<string, readonly PropDef[]>();

/** Registers a class; names are looked up case-insensitively, as the server does. */
export function defineClass(def: ClassDef): ClassDef {
  classes.set(def.name.toLowerCase(), def);
  resolved.clear();
  return def;
}

export function getClass(name: string): ClassDef | undefined {
  return classes.get(name.toLowerCase());
}

/** All properties of a class, parents first, in wire order. */
export function allProps(cls: ClassDef): readonly PropDef[] {
  const hit = resolved.get(cls.name);
  if (hit) return hit;
  const parent = cls.parent ? getClass(cls.parent) : undefined;
  const props = [...(parent ? allProps(parent) : []), ...cls.props];
  resolved.set(cls.name, props);
  return props;
}

export function findProp(cls: ClassDef, name: string): PropDef | undefined {
  return allProps(cls).find((p) => p.name === name);
}

/** True when `child` is `ancestor` or derives from it. */
export function isSubclass(child: ClassDef, ancestor: ClassDef): boolean {
  for (let c: ClassDef | undefined = child; c; c = c.parent ? getClass(c.parent) : undefined) {
    if (c.name === ancestor.name) return true;
  }
  return false;
}

/** Builds a response object with `objectType` placed last, as the server serializes it. */
export function kobj(objectType: string, props: Record<string, unknown>): KObject {
  return { ...props, objectType } as KObject;
}
