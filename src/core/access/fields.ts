/**
 * Context fields (`Kaltura*ContextField`, constants) and the generic match/compare semantics of
 * Kaltura's kMatchCondition and kCompareCondition (protocol/kaltura.md §5.3).
 */
import { RuleCompileError } from './errors.js';
import { Comparison, MatchType, type AccessScope, type FieldSpec } from './model.js';
import type { EvalState } from './state.js';

/** A string field; null when the context has no value (no session, no entry, unknown country). */
export type StringField = (scope: AccessScope, state: EvalState) => string | null;
/** A numeric field; null when absent, NaN when the value is not a number. */
export type NumberField = (scope: AccessScope, state: EvalState) => number | null;

export function compileStringField(field: FieldSpec, path: string): StringField {
  switch (field?.kind) {
    case 'country':
      return (scope, state) => state.country(scope) ?? null;
    case 'ip':
      return (scope) => scope.ip;
    case 'userAgent':
      return (scope) => scope.userAgent;
    case 'userEmail':
      return (scope) => scope.session?.email ?? null;
    case 'time': {
      const offset = checkOffset(field.offset, path);
      return (scope) => String(scope.time + offset);
    }
    case 'objectId':
      return (scope) => scope.entry?.id ?? null;
    case 'constant': {
      if (typeof field.value !== 'string') throw new RuleCompileError(`${path}.value`, 'a constant field needs a string value');
      const value = field.value;
      return () => value;
    }
    default:
      throw new RuleCompileError(path, `unknown field kind ${JSON.stringify((field as { kind?: unknown } | null)?.kind)}`);
  }
}

function checkOffset(offset: unknown, path: string): number {
  if (offset === undefined || offset === null) return 0;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw new RuleCompileError(`${path}.offset`, 'must be an integer number of seconds');
  return offset;
}

/** A decimal number as text (what Kaltura's integer values are); anything else is NaN. */
export function toNumber(text: string): number {
  const t = text.trim();
  return /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

export function compileNumberField(field: FieldSpec, path: string): NumberField {
  if (field?.kind === 'time') {
    const offset = checkOffset(field.offset, path);
    return (scope) => scope.time + offset;
  }
  if (field?.kind === 'constant') {
    if (typeof field.value !== 'string' || Number.isNaN(toNumber(field.value))) throw new RuleCompileError(`${path}.value`, 'a constant compared as a number must be numeric');
    const n = toNumber(field.value);
    return () => n;
  }
  const text = compileStringField(field, path);
  return (scope, state) => {
    const s = text(scope, state);
    return s === null ? null : toNumber(s);
  };
}

/** The compare value: null (always fulfilled), a number, or a field read at evaluation time. */
export function compileCompareValue(value: FieldSpec | number | null, path: string): NumberField | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RuleCompileError(path, 'must be a finite number');
    return () => value;
  }
  return compileNumberField(value, path);
}

export type Comparator = (field: number, value: number) => boolean;

/**
 * `field <op> value`. NOT_EQUAL is a real "not equal": the Kaltura server does not implement it
 * and evaluates it as EQUAL (kCompareCondition falls through to its default); we implement what
 * the name says, a deliberate difference.
 */
export function comparator(comparison: number, path: string): Comparator {
  switch (comparison) {
    case Comparison.EQUAL:
      return (f, v) => f === v;
    case Comparison.GREATER_THAN:
      return (f, v) => f > v;
    case Comparison.GREATER_THAN_OR_EQUAL:
      return (f, v) => f >= v;
    case Comparison.LESS_THAN:
      return (f, v) => f < v;
    case Comparison.LESS_THAN_OR_EQUAL:
      return (f, v) => f <= v;
    case Comparison.NOT_EQUAL:
      return (f, v) => f !== v;
    default:
      throw new RuleCompileError(path, `unknown comparison ${JSON.stringify(comparison)} (1 EQUAL, 2 GREATER_THAN, 3 GREATER_THAN_OR_EQUAL, 4 LESS_THAN, 5 LESS_THAN_OR_EQUAL, 6 NOT_EQUAL)`);
  }
}

/**
 * kCompareCondition for one field value, once the value is known not to be null (a null value
 * means fulfilled and is checked first by the caller): field null, 0 or not a number (PHP-falsy
 * or non-numeric) ⇒ not fulfilled; a value that is not a number (e.g. a country field) ⇒ not
 * fulfilled; otherwise the comparison.
 */
export function compareOne(cmp: Comparator, field: number | null, value: number): boolean {
  if (field === null || field === 0 || Number.isNaN(field) || Number.isNaN(value)) return false;
  return cmp(field, value);
}

/** MATCH_ANY (1) or MATCH_ALL (everything else: Kaltura's default is ALL). */
export function isMatchAny(matchType: number): boolean {
  return matchType === MatchType.MATCH_ANY;
}

/** Validated string values of a match condition. */
export function stringValues(values: unknown, path: string): string[] {
  if (!Array.isArray(values)) throw new RuleCompileError(path, 'must be a list of strings');
  values.forEach((v, i) => {
    if (typeof v !== 'string') throw new RuleCompileError(`${path}[${i}]`, 'must be a string');
  });
  return values as string[];
}

/**
 * The request header a condition names, as our scopes key headers (lower case, dashes). Kaltura
 * reads `$_SERVER['HTTP_' . <name upper-cased, '-' → '_'>]`, so `X-Device`, `x-device` and
 * `X_DEVICE` all name one header there, and here.
 */
export function headerKey(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, '-');
}
