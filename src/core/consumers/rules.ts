/**
 * What a consumer username, a credential key and a group list may look like. Sunbird's adminutil
 * rules (username required, no spaces, not a UUID "due to a Kong limitation"), with its upper-case
 * messages, plus what a path segment needs (characters that need no percent-encoding, bounded).
 * Each function returns every problem found; an empty list means valid.
 */

/**
 * 100 characters that need no percent-encoding in a path segment (RFC 3986 `pchar`): the username
 * is addressed as `/v1/consumer/{username}/...`, and Fastify's default maxParamLength is 100.
 */
export const USERNAME_MAX = 100;
const USERNAME_CHARS = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;
export const KEY_MAX = 256;
export const GROUP_MAX = 64;
export const GROUPS_MAX = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SPACE = /\s/u;
/** The same group shape as a service's allowedGroups (REST door), so every granted group can match. */
const GROUP = /^[A-Za-z0-9_.:-]+$/;
/** Visible ASCII: a key travels in a token's `iss`/`kid` and in the X-Credential-Identifier header. */
const KEY = /^[\x21-\x7e]+$/;

export function usernameProblems(username: unknown): string[] {
  if (typeof username !== 'string' || username === '') return ['USERNAME IS MANDATORY'];
  const out: string[] = [];
  if (SPACE.test(username)) out.push('USERNAME MUST NOT HAVE SPACE');
  if (UUID.test(username)) out.push('USERNAME MUST NOT BE A UUID');
  if (!SPACE.test(username) && (username.length > USERNAME_MAX || !USERNAME_CHARS.test(username))) {
    out.push(`USERNAME MUST HAVE AT MOST ${USERNAME_MAX} CHARACTERS, EACH A LETTER, A DIGIT OR ONE OF . _ ~ ! $ & ' ( ) * + , ; = : @ -`);
  }
  return out;
}

/** A caller-chosen credential key (`iss` / `kid`); absent means "generate one". */
export function keyProblems(key: unknown): string[] {
  if (key === undefined || key === null) return [];
  if (typeof key !== 'string' || key === '') return ['KEY MUST BE A NON-EMPTY STRING'];
  if (key.length > KEY_MAX || !KEY.test(key)) return [`KEY MUST HAVE 1 TO ${KEY_MAX} VISIBLE ASCII CHARACTERS AND NO SPACE`];
  return [];
}

export function groupsProblems(groups: unknown): string[] {
  if (!Array.isArray(groups) || groups.length === 0) return ['GROUPS ARE MANDATORY'];
  if (groups.length > GROUPS_MAX) return [`AT MOST ${GROUPS_MAX} GROUPS`];
  const bad = groups.filter((g) => typeof g !== 'string' || g.length > GROUP_MAX || !GROUP.test(g));
  return bad.length ? [`GROUP NAMES MUST MATCH ${GROUP.source} AND HAVE AT MOST ${GROUP_MAX} CHARACTERS`] : [];
}

/** Groups deduplicated in first-seen order (call after groupsProblems returned nothing). */
export function normaliseGroups(groups: readonly string[]): string[] {
  return [...new Set(groups)];
}
