import { createHook, executionAsyncId } from 'node:async_hooks';

/**
 * Who sent a statement, for the trace of one message (BENCH_STATS_TRACE=1 only: it keeps a stack
 * for every async resource, far too costly under load). A drizzle query is a thenable: the driver
 * call runs in a microtask whose own stack holds no frame of the repository that awaited it, but
 * the promise of that `await` was created in the repository's frame, so its creation stack (or its
 * trigger's, up the chain) names the caller.
 */
export class AsyncCallers {
  private readonly origins = new Map<number, { trigger: number; at: Error }>();

  constructor(private readonly ours: (stack: string) => string) {
    // Deep enough to pass the async_hooks and drizzle frames and reach our own.
    Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 40);
    createHook({
      init: (id, _type, trigger) => this.origins.set(id, { trigger, at: new Error() }),
      destroy: (id) => this.origins.delete(id),
      promiseResolve: (id) => this.origins.delete(id),
    }).enable();
  }

  /** Our own frames leading here: the current stack, else the creation stacks up the chain. */
  now(): string {
    const here = this.ours(new Error().stack ?? '');
    if (here) return here;
    for (let id = executionAsyncId(), hops = 0; id > 1 && hops < 50; hops++) {
      const origin = this.origins.get(id);
      if (!origin) break;
      const found = this.ours(origin.at.stack ?? '');
      if (found) return found;
      id = origin.trigger;
    }
    return '';
  }
}
