// Step: the request-level `language`, when given, is a language code or `multi` (INVALID_LANGUAGE_CODE).
import { E, fail } from '../../../../core/errors/index.js';
import { phpString } from '../wire/php-string.js';

const LANGUAGE = /^(?:[A-Za-z]{2,3}(?:[_-][A-Za-z]{2,4})?|multi)$/;

export function checkLanguage(language: unknown): void {
  if (language === undefined || language === null || language === '') return;
  // A tree (`language[a]=1`) is no language code: the client's error, named as PHP prints it.
  if (typeof language !== 'string' || !LANGUAGE.test(language)) throw fail(E.INVALID_LANGUAGE_CODE, { LANGUAGE_CODE: phpString(language) });
}
