/** `KalturaHashCondition` (type 12): the caller did NOT present the expected hash. */
import { createHash } from 'node:crypto';
import { safeEqual } from '../../crypto/compare.js';
import { RuleCompileError } from '../errors.js';
import type { ConditionCompiler } from './types.js';

/**
 * Fulfilled when `hashes[hashName]` is missing or differs from md5(hashSecret + KS string as sent)
 * (no session: the empty string), so it is used with a block action. MD5 is Kaltura's wire
 * format, not our choice. The comparison is constant-time: the expected value is a secret-derived
 * token and a timing leak would let a caller guess it byte by byte.
 */
export const compileHash: ConditionCompiler<'hash'> = (spec, ctx) => {
  if (typeof spec.hashName !== 'string' || spec.hashName === '') throw new RuleCompileError(`${ctx.path}.hashName`, 'must be a non-empty string');
  if (typeof spec.hashSecret !== 'string') throw new RuleCompileError(`${ctx.path}.hashSecret`, 'must be a string');
  const { hashName, hashSecret } = spec;
  return (scope) => {
    const given = Object.hasOwn(scope.hashes, hashName) ? scope.hashes[hashName] : undefined;
    if (typeof given !== 'string') return true;
    const expected = createHash('md5').update(hashSecret + (scope.session?.raw ?? ''), 'utf8').digest('hex');
    return !safeEqual(given, expected);
  };
};
