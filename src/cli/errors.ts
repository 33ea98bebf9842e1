/**
 * What can go wrong in a client command, and how each kind ends the process:
 * `error: <CODE>: <message>` on stderr, exit 1 for a failed call, 2 for bad usage or configuration.
 */

/** Exit statuses of client commands. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A flag, argument, environment variable or profile that cannot work (exit 2). */
export class UsageError extends Error {
  readonly code: string;
  constructor(message: string, code = 'USAGE') {
    super(message);
    this.name = 'UsageError';
    this.code = code;
  }
}

/** The configuration (profile file, connection settings) is missing or invalid (exit 2). */
export class ConfigError extends UsageError {
  constructor(message: string) {
    super(message, 'CONFIG');
    this.name = 'ConfigError';
  }
}

/** A failure that is not the server's KalturaAPIException: the server cannot be reached, or answers nonsense (exit 1). */
export class ClientFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ClientFailure';
    this.code = code;
  }
}

/**
 * Values that must never reach the terminal in an error: the admin secret, session strings, token
 * values. Servers echo some of them back (Kaltura puts an unparseable KS in the `INVALID_KS`
 * message), so every error line goes through {@link Secrets.scrub} before it is printed.
 */
export class Secrets {
  private readonly values = new Set<string>();

  add(value: string | undefined | null): void {
    // Very short values would blank out ordinary words of a message; real secrets are long.
    if (value && value.length >= 8) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('[redacted]');
    // A KS v2 always starts with base64("v2|"); hide any we were not told about.
    return out.replace(/djJ8[A-Za-z0-9+/=_-]{16,}/g, '[redacted]');
  }
}
