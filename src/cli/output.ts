/**
 * How client commands print: `--json` writes one JSON document with stable keys to stdout;
 * otherwise a readable table. Notes and warnings go to stderr so stdout stays pipeable.
 */

/** Where a command writes; the process streams unless a test supplies others. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

const cell = (v: string | number | null | undefined): string => (v === null || v === undefined || v === '' ? '-' : String(v));

/** Rows under upper-case headers, columns padded to their widest cell. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const grid = [columns.map((c) => c.header.toUpperCase()), ...rows.map((r) => columns.map((c) => cell(c.value(r))))];
  const widths = columns.map((_, i) => Math.max(...grid.map((line) => line[i]!.length)));
  return grid.map((line) => line.map((v, i) => (i === line.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** One object as `label  value` lines. */
export function formatRecord(pairs: ReadonlyArray<readonly [string, string | number | null | undefined]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n') + '\n';
}

export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A command's printer: JSON or human output decided once from `--json`. */
export class Printer {
  constructor(
    private readonly io: Io,
    readonly json: boolean,
  ) {}

  /** Prints `value` as JSON with --json, else what `human` renders. */
  result(value: unknown, human: () => string): void {
    this.io.out(this.json ? formatJson(value) : human());
  }

  /** A note for a person (stderr; silent with --json so scripts see only data). */
  note(text: string): void {
    if (!this.json) this.io.err(`${text}\n`);
  }

  /** A warning, printed in both modes (stderr). */
  warn(text: string): void {
    this.io.err(`warning: ${text}\n`);
  }
}
