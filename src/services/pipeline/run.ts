/**
 * The pipeline's runner: a table of steps, run in order over one request's context, stopping at
 * the first refusal. Each step reads what earlier steps put in the context and adds its own
 * (authenticate → partner → user → authorize, in the spirit of Oathkeeper's handler chain). A
 * step answers at once when it can (the caches hold what it reads) or with a promise when it must
 * read the database; the runner stays synchronous as long as every step does (core/maybe.ts), so
 * the hot path allocates no promise.
 */
import { isPromise, type Maybe } from '../../core/maybe.js';
import { PASS, type StepOutcome } from './reasons.js';

export interface Step<C> {
  /** For tables read by people and for tests: what the step checks. */
  readonly name: string;
  readonly run: (ctx: C) => Maybe<StepOutcome>;
}

/** Runs `steps` from index `from` on: PASS when every step passed, else the first refusal. */
export function runSteps<C>(steps: readonly Step<C>[], ctx: C, from = 0): Maybe<StepOutcome> {
  for (let i = from; i < steps.length; i++) {
    const out = (steps[i] as Step<C>).run(ctx);
    if (isPromise(out)) {
      const next = i + 1;
      return out.then((o) => (o.ok ? runSteps(steps, ctx, next) : o));
    }
    if (!out.ok) return out;
  }
  return PASS;
}

