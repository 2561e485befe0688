import { Agent, request } from 'node:http';

export interface Sample {
  /** ms from the intended send time to the observed completion. */
  latencyMs: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Open loop: request i is due at start + i/rate whatever happened to the others, and its latency
 * counts from that due time, so a stalled server cannot hide its queueing (no coordinated omission).
 */
export async function openLoop(
  rate: number,
  seconds: number,
  fire: (i: number, dueAt: number) => Promise<void>,
): Promise<void> {
  const total = Math.round(rate * seconds);
  const start = performance.now() + 20;
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(fire(i, due).catch(() => undefined));
  }
  await Promise.all(pending);
}

/** Closed loop at a fixed concurrency for `seconds`: the most a server can answer. Returns req/s. */
export async function closedLoopCapacity(
  seconds: number,
  concurrency: number,
  once: () => Promise<void>,
): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await once();
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - t0) / 1000);
}
