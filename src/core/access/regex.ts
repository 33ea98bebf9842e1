/**
 * Regex values of user-agent, HTTP-header and action-name conditions (Kaltura: the field equals
 * the value, or PCRE `/value/i` matches it: case-insensitive, unanchored).
 *
 * Security (SECURITY.md §5.3, ReDoS): these patterns are written by partner admins and run on the
 * hot delivery path of every tenant, so a backtracking engine must never see an arbitrary one.
 * - Every pattern is compiled by RE2 (`re2js`, linear time in the input) at save time; a pattern
 *   RE2 cannot compile (backreferences, lookarounds, possessive quantifiers…) is refused with a
 *   RuleCompileError instead of being silently ignored, and patterns are length- and size-capped.
 * - Inputs are truncated before matching (the exact-equality test sees the whole input).
 * - Speed: re2js costs ~0.6 µs on a 120-character user agent, more than a whole decision's budget.
 *   Patterns that are only alternatives of plain text (`iPad`, `.*iPad.*`, `iPhone|Android`), by
 *   far the common case, run as a native RegExp instead. With no quantifier, group or class, a
 *   backtracking engine does at most (input length × pattern length) steps, and both are capped
 *   small for this path (~0.04 ms worst case on 1 KB). The `iu` flags fold case with Unicode
 *   simple case folding, as RE2's case-insensitive mode does, so both engines agree.
 */
import { RE2JS } from 're2js';
import { RuleCompileError } from './errors.js';

/** Longest accepted pattern (Akamai caps at 256, we allow a little more for UA alternations). */
export const MAX_PATTERN_LENGTH = 512;
/** Largest accepted RE2 program (instructions); keeps each pattern's DFA memory small. */
export const MAX_PROGRAM_SIZE = 5_000;
/** Input caps (characters) per field. Longer inputs are cut before the regex test. */
export const MAX_USER_AGENT_INPUT = 1024;
export const MAX_HEADER_INPUT = 4096;
export const MAX_ACTION_NAME_INPUT = 256;

/** Caps of the native fast path: with these, its worst case stays far under the RE2 figure. */
const FAST_MAX_TOTAL = 64;
const FAST_MAX_ALTERNATIVES = 16;

/** Regex metacharacters of RE2 syntax: anything else printable-ASCII is a literal. */
const META = new Set('\\^$.|?*+()[]{}');
/** Characters that must be escaped in a `u`-mode RegExp source. */
const JS_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * The alternatives of a pattern made only of printable-ASCII text, escaped punctuation, top-level
 * `|` and leading/trailing `.*` (which never change an unanchored match), or null.
 */
export function literalAlternatives(pattern: string): string[] | null {
  const out: string[] = [];
  let text = '';
  let lead = true; // still in the leading `.*` run of this alternative
  let trailing = false; // saw `.*` after text: only more `.*` or `|` may follow
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    const code = pattern.charCodeAt(i);
    if (c === '|') {
      out.push(text);
      text = '';
      lead = true;
      trailing = false;
    } else if (c === '.' && pattern[i + 1] === '*' && pattern[i + 2] !== '?' && pattern[i + 2] !== '+') {
      i++;
      if (!lead) trailing = true;
    } else if (trailing) {
      return null;
    } else if (c === '\\') {
      const next = pattern.charCodeAt(i + 1);
      // Only escaped ASCII punctuation is a literal; \d, \w, \Q… are not.
      const punct = (next >= 33 && next <= 47) || (next >= 58 && next <= 64) || (next >= 91 && next <= 96) || (next >= 123 && next <= 126);
      if (!punct) return null;
      text += pattern[++i] as string;
      lead = false;
    } else if (code >= 32 && code <= 126 && !META.has(c)) {
      text += c;
      lead = false;
    } else {
      return null;
    }
  }
  out.push(text);
  return out;
}

function compileRe2(pattern: string, path: string): RE2JS {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new RuleCompileError(path, `not a supported regular expression (RE2 syntax: no backreferences or lookarounds): ${why}`);
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) throw new RuleCompileError(path, `regular expression too complex (RE2 program of ${re.programSize()} instructions, at most ${MAX_PROGRAM_SIZE})`);
  return re;
}

/** Tests one input against the compiled values of a regex condition. */
export type TextMatcher = (input: string) => boolean;

/**
 * Compiles the values of a regex condition: true when the input equals a value exactly, or when
 * any value matches (case-insensitive, unanchored) within the first `maxInput` characters.
 * Throws RuleCompileError (path `${path}[i]`) for a value that is too long or that RE2 refuses.
 */
export function compileRegexValues(values: readonly string[], path: string, maxInput: number): TextMatcher {
  const exact = new Set<string>();
  const needles: string[] = [];
  const programs: RE2JS[] = [];
  let matchAll = false;
  values.forEach((value, i) => {
    const where = `${path}[${i}]`;
    if (typeof value !== 'string') throw new RuleCompileError(where, 'must be a string');
    if (value.length > MAX_PATTERN_LENGTH) throw new RuleCompileError(where, `pattern too long (${value.length} characters, at most ${MAX_PATTERN_LENGTH})`);
    exact.add(value);
    // Always compile with RE2, even on the fast path: RE2 syntax is the contract for what is accepted.
    const program = compileRe2(value, where);
    const alternatives = literalAlternatives(value);
    if (alternatives === null) programs.push(program);
    else if (alternatives.includes('')) matchAll = true; // an empty alternative matches every input
    else needles.push(...alternatives);
  });
  // Plain-text alternatives run natively within the fast path's bounds; beyond them, as one RE2
  // alternation of the quoted texts (a single linear pass).
  const total = needles.reduce((n, s) => n + s.length, 0);
  let native: RegExp | null = null;
  if (needles.length > 0) {
    if (needles.length <= FAST_MAX_ALTERNATIVES && total <= FAST_MAX_TOTAL) {
      native = new RegExp(needles.map((s) => s.replace(JS_SYNTAX, '\\$&')).join('|'), 'iu');
    } else {
      programs.push(RE2JS.compile(needles.map((s) => RE2JS.quote(s)).join('|'), RE2JS.CASE_INSENSITIVE));
    }
  }
  // Equality by a scan for short lists: a Set would first hash the whole input, and each
  // request's user agent is a new string whose hash is not cached yet.
  const exactList = exact.size <= 8 ? [...exact] : null;
  const isExact = (input: string): boolean => {
    if (exactList === null) return exact.has(input);
    for (let i = 0; i < exactList.length; i++) if (input === exactList[i]) return true;
    return false;
  };
  return (input) => {
    if (matchAll) return true;
    if (isExact(input)) return true;
    const text = input.length > maxInput ? input.slice(0, maxInput) : input;
    if (native !== null && native.test(text)) return true;
    for (let i = 0; i < programs.length; i++) if ((programs[i] as RE2JS).test(text)) return true;
    return false;
  };
}
