/**
 * The shared tail of the bench server processes: listen on a free loopback port, print the port
 * as one JSON line on stdout for the parent, and on SIGTERM close and exit. With
 * BENCH_PROFILE_FILE set, SIGUSR2 starts the CPU profiler (the parent sends it after the warm-up)
 * and SIGTERM writes the profile there before closing.
 */
import type { FastifyInstance } from 'fastify';
import { openProfiler } from './profile.js';

export async function serveUntilSignalled(app: FastifyInstance, close: () => Promise<void>): Promise<void> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const profileFile = process.env.BENCH_PROFILE_FILE;
  const profiler = profileFile ? await openProfiler() : undefined;
  if (profiler) process.on('SIGUSR2', () => void profiler.start());
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  process.once('SIGTERM', () => {
    const stop = async () => {
      if (profiler && profileFile) await profiler.stopTo(profileFile);
      await close();
    };
    void stop().finally(() => process.exit(0));
  });
}
