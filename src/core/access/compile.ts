/**
 * CONTRACT (filled in by the rule-engine work of issue 4): compile a profile's rules once into
 * closures over pre-parsed data, evaluate many times. Other code depends only on these signatures.
 */
import type { AccessScope, Decision, GeoLookup, RuleSpec } from './model.js';

export interface CompileOptions {
  geo: GeoLookup;
}

export interface EvaluateOptions {
  /** Unix seconds "now" for entry scheduling (Kaltura uses now, not the scope's time). */
  now: number;
}

export interface CompiledProfile {
  readonly ruleCount: number;
  /** Never throws; an ADMIN session (type 2) skips rules without forceAdminValidation. */
  evaluate(scope: AccessScope, opts: EvaluateOptions): Decision;
}

/** A rule that cannot be compiled (bad regex, bad CIDR, unknown condition): refused at save time. */
export class RuleCompileError extends Error {
  constructor(
    /** Where, e.g. `rules[1].conditions[0].values[2]`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'RuleCompileError';
  }
}

export function compileProfile(_rules: readonly RuleSpec[], _opts: CompileOptions): CompiledProfile {
  throw new Error('compileProfile: not implemented yet (issue 4 rule engine)');
}
