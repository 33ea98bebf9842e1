/**
 * The Kaltura door's one error map: a catalogue error becomes a `KalturaAPIException` object
 * (protocol §1.6, §7), which both serializers print and which clients receive with HTTP 200.
 */
import type { GatehouseError } from '../../../../core/errors/index.js';
import { E, isGatehouseError, renderMessage } from '../../../../core/errors/index.js';

export interface ApiException {
  code: string;
  message: string;
  objectType: 'KalturaAPIException';
  /** Argument name → string value; `[]` when the error has no arguments, as PHP prints it. */
  args: Record<string, string> | [];
}

/**
 * Gatehouse's own codes that reach Kaltura clients under a Kaltura code they already handle. The
 * per-address sign-in throttle is Kaltura's "login blocked" (what its clients show as "try again
 * later"), with Gatehouse's message saying it is too many attempts from the address, not a
 * locked account.
 */
const WIRE_CODE: Readonly<Record<string, string>> = { LOGIN_THROTTLED: E.LOGIN_BLOCKED.code };

/**
 * Services name objects neutrally (`user::id`, enum type `sessionType`); the wire names their
 * Kaltura classes (`KalturaUser::id`, `KalturaSessionType`), as the server's messages do.
 */
const NEUTRAL: Readonly<Record<string, RegExp>> = { PROP_NAME: /^[a-z][A-Za-z]*::/, ENUM_TYPE: /^[a-z][A-Za-z]*$/ };
function kalturaName(name: string, value: string): string {
  const neutral = NEUTRAL[name];
  return neutral && neutral.test(value) ? `Kaltura${value.charAt(0).toUpperCase()}${value.slice(1)}` : value;
}

/** Maps a catalogue error; keys are built in the wire order code, message, objectType, args. */
export function toApiException(err: GatehouseError): ApiException {
  const args: Record<string, string> = {};
  let renamed = false;
  for (const name of err.def.args) {
    const raw = err.args[name] === undefined ? 'N/A' : String(err.args[name]);
    const wire = kalturaName(name, raw);
    if (wire !== raw) renamed = true;
    args[name] = stripTags(wire);
  }
  return {
    code: WIRE_CODE[err.def.code] ?? err.def.code,
    message: renamed ? renderMessage(err.def, { ...err.args, ...args }) : err.message,
    objectType: 'KalturaAPIException',
    args: err.def.args.length === 0 ? [] : args,
  };
}

/**
 * What any fault that is not a catalogue error becomes. Its details stay in the logs: the wire
 * only learns that something went wrong, never what (no stack, no driver message).
 */
export const INTERNAL_ERROR_EXCEPTION: Readonly<ApiException> = Object.freeze({
  code: E.INTERNAL_SERVERL_ERROR.code,
  message: renderMessage(E.INTERNAL_SERVERL_ERROR, {}),
  objectType: 'KalturaAPIException',
  args: Object.freeze([]) as unknown as [],
} as ApiException);

/** Convenience for the door's catch-all: catalogue errors are mapped, anything else is internal. */
export function toApiExceptionFromUnknown(err: unknown): ApiException {
  return isGatehouseError(err) ? toApiException(err) : { ...INTERNAL_ERROR_EXCEPTION, args: [] };
}

/** True for a value shaped like an API exception (a failed multirequest item, for example). */
export function isApiException(v: unknown): v is ApiException {
  return typeof v === 'object' && v !== null && (v as { objectType?: unknown }).objectType === 'KalturaAPIException';
}

/** PHP strips tags from argument values (`strip_tags`); an unclosed tag runs to the end. */
function stripTags(s: string): string {
  return s.replace(/<[^>]*(>|$)/g, '');
}
