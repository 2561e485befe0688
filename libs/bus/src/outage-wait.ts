/**
 * The longest wait between two tries while a dependency is down. A try costs one failed call, so
 * trying every few seconds is cheap, and the consumer (and the app's readiness) comes back within
 * seconds of the dependency, not after a nak backoff of half a minute.
 */
export const OUTAGE_WAIT_CAP_MS = 5000;

/**
 * The delay before the n-th try while waiting out an outage: the consumer's backoff, capped at
 * OUTAGE_WAIT_CAP_MS, with ±20 % jitter so that instances that waited out one outage do not all
 * come back in the same instant.
 */
export function outageDelay(backoffMs: readonly number[], attempt: number): number {
  const base = backoffMs[Math.min(attempt - 1, backoffMs.length - 1)] ?? 1000;
  return Math.round(Math.min(base, OUTAGE_WAIT_CAP_MS) * (0.8 + Math.random() * 0.4));
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the consumer stops). */
export function sleepUnlessStopped(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
