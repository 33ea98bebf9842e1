/**
 * A GET over a real socket with one header sent as several lines (`values`, one line each): what a
 * proxy forwards when a client repeats a header. `app.inject` cannot say this the way Node's
 * parser sees it on the wire.
 */
import { request } from 'node:http';

export function getWithRepeatedHeader(url: string, name: string, values: readonly string[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setHeader(name, [...values]);
    req.on('error', reject);
    req.end();
  });
}
