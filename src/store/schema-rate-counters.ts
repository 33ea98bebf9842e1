/** Table type of the shared rate-limit counters (migration 0013); part of schema.ts's Database. */

export interface RateCountersTable {
  /** `<service id>|<consumer|credential|ip>:<id>|<window>`: ids and addresses, never a secret. */
  key: string;
  window_start: number;
  count: number;
  expires_at: number;
}
