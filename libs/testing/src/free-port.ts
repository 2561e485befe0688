import { createServer } from 'node:net';

/**
 * Ports are drawn below Linux's ephemeral range (32768–60999): a port the kernel hands out with
 * listen(0) can be taken a moment later as the local port of an outgoing connection (to NATS, to
 * the database) or handed out again by the next listen(0), and the app that was meant to listen on
 * it fails with EADDRINUSE. Ports handed out in this process are never handed out twice.
 */
const LOW = 20_000;
const HIGH = 32_000;
/**
 * Parallel jest workers each draw from their own slice, so two test files running at once never
 * pick the same port between the check and the listen (seen in CI with 3 workers).
 */
const SLICES = 8;
const worker = Number(process.env.JEST_WORKER_ID ?? '1');
const SLICE = Math.floor((HIGH - LOW) / SLICES);
const sliceLow = LOW + ((Number.isInteger(worker) && worker > 0 ? worker - 1 : 0) % SLICES) * SLICE;
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port free right now on 127.0.0.1 (for apps whose own URL must be known before they listen). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = sliceLow + Math.floor(Math.random() * SLICE);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found between ${sliceLow} and ${sliceLow + SLICE} after 200 tries`);
}
