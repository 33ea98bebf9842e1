/** The server's log lines, captured for a suite: raw chunks (to search for secrets) and parsed lines. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../../src/config/index.js';
import { loggerOptions } from '../../src/http/logger.js';

export interface LogCapture {
  /** Pass as `startGatehouse(…, { logger })`. */
  logger: Logger;
  /** Everything written, as written. */
  chunks: string[];
  /** Every line, parsed (clear with `lines.length = 0`). */
  lines: Array<Record<string, unknown>>;
}

export function captureLogs(level: LogLevel): LogCapture {
  const chunks: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = chunk.toString();
      chunks.push(text);
      for (const line of text.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino(loggerOptions(level), stream), chunks, lines };
}
