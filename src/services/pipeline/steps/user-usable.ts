// Step: the user a credential names, when there is one, is ACTIVE; else `user_blocked` (ASVS 7.4.2).
import { UserStatus, type User } from '../../model.js';
import { PASS, refuse, type StepOutcome } from '../reasons.js';

/**
 * A session or token without a user record (an integration's free-form user id) passes; a blocked
 * or deleted user's credentials stop at once, on every node through the change feed.
 */
export function userUsable(user: Pick<User, 'status'> | undefined | null): StepOutcome {
  return !user || user.status === UserStatus.ACTIVE ? PASS : refuse('user_blocked');
}
