/**
 * The condition kinds, one compiler per `ConditionSpec['type']`, and the one place that decides
 * how `not` applies (a `negate` flag; kinds in OWNS_NOT apply it themselves). Adding a kind is
 * adding a file and a line to COMPILERS (the mapped type makes a missing kind a type error).
 */
import { RuleCompileError } from '../errors.js';
import type { ConditionSpec } from '../model.js';
import type { ConditionFn } from '../state.js';
import { compileActionName } from './action-name.js';
import { compileAuthenticated } from './authenticated.js';
import { compileCountry } from './country.js';
import { compileEntryScheduled } from './entry-scheduled.js';
import { compileFieldCompare } from './field-compare.js';
import { compileFieldMatch } from './field-match.js';
import { compileHash } from './hash.js';
import { compileHttpHeader } from './http-header.js';
import { compileIpAddress } from './ip-address.js';
import { compileMetadataCompare } from './metadata-compare.js';
import { compileMetadataMatch } from './metadata-match.js';
import { compileOr } from './or.js';
import { compileSessionType } from './session-type.js';
import { compileSite } from './site.js';
import type { CompileContext, ConditionCompiler } from './types.js';
import { compileUserAgent } from './user-agent.js';
import { compileUserRole } from './user-role.js';

const COMPILERS: { readonly [T in ConditionSpec['type']]: ConditionCompiler<T> } = {
  authenticated: compileAuthenticated,
  country: compileCountry,
  ipAddress: compileIpAddress,
  site: compileSite,
  userAgent: compileUserAgent,
  fieldMatch: compileFieldMatch,
  fieldCompare: compileFieldCompare,
  userRole: compileUserRole,
  or: compileOr,
  hash: compileHash,
  httpHeader: compileHttpHeader,
  entryScheduled: compileEntryScheduled,
  actionName: compileActionName,
  sessionType: compileSessionType,
  metadataMatch: compileMetadataMatch,
  metadataCompare: compileMetadataCompare,
};

/** Kinds whose compiler applies `not` itself (Kaltura quirk: see session-type.ts). */
const OWNS_NOT: ReadonlySet<ConditionSpec['type']> = new Set(['sessionType']);

/** Nesting depth of OR conditions accepted (keeps compile and evaluation stack use bounded). */
const MAX_DEPTH = 8;

/** A compiled condition and whether its result must be negated (the central `not`). */
export interface CompiledCondition {
  readonly fn: ConditionFn;
  readonly negate: boolean;
}

function compileAt(spec: ConditionSpec, path: string, depth: number): CompiledCondition {
  if (typeof spec !== 'object' || spec === null) throw new RuleCompileError(path, 'a condition must be an object');
  const type = (spec as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(COMPILERS, type)) throw new RuleCompileError(path, `unknown condition type ${JSON.stringify(type)}`);
  if (depth > MAX_DEPTH) throw new RuleCompileError(path, `conditions nested deeper than ${MAX_DEPTH} levels`);
  const ctx: CompileContext = { path, child: (c, p) => asFunction(compileAt(c, p, depth + 1)) };
  const fn = (COMPILERS[spec.type] as ConditionCompiler<ConditionSpec['type']>)(spec, ctx);
  return { fn, negate: spec.not === true && !OWNS_NOT.has(spec.type) };
}

function asFunction(c: CompiledCondition): ConditionFn {
  const { fn, negate } = c;
  return negate ? (scope, state) => !fn(scope, state) : fn;
}

/**
 * Compiles one condition. The rule loop applies `negate` itself (`fn(…) !== negate`), which
 * saves a wrapper call per condition on the hot path. Throws RuleCompileError for anything
 * unusable.
 */
export function compileCondition(spec: ConditionSpec, path: string): CompiledCondition {
  return compileAt(spec, path, 0);
}
