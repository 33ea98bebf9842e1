/** The one error a profile compile can raise; re-exported by compile.ts (the contract). */

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
