/**
 * Runs tasks with at most `concurrency` in flight, and tasks that share a key one after the
 * other in arrival order (so one conversation's messages keep their order while others proceed).
 */
export class KeyedExecutor {
  private inFlight = 0;
  private readonly tails = new Map<string, Promise<void>>();
  private readonly waiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly concurrency: number) {
    if (concurrency < 1) throw new Error('concurrency must be >= 1');
  }

  /** Resolves when a slot is free: the caller must not pull more work before that. */
  async slot(): Promise<void> {
    if (this.inFlight < this.concurrency) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  run(key: string, task: () => Promise<void>): void {
    this.inFlight++;
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev
      .then(task)
      .catch(() => undefined)
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
        this.inFlight--;
        this.waiters.shift()?.();
        if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
    this.tails.set(key, next);
  }

  async idle(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
