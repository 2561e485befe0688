/**
 * Runs tasks with at most `concurrency` in flight, and tasks that share a key one after the
 * other in arrival order (so one conversation's messages keep their order while others proceed).
 * A task takes a slot only once its key's previous task is done: a key waiting its turn never
 * holds a slot that another key could use.
 */
export class KeyedExecutor {
  private running = 0;
  private accepted = 0;
  private readonly tails = new Map<string, Promise<void>>();
  private readonly waiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly concurrency: number) {
    if (concurrency < 1) throw new Error('concurrency must be >= 1');
  }

  /** Tasks accepted and not finished: waiting for their key or a slot, or running. */
  get size(): number {
    return this.accepted;
  }

  run(key: string, task: () => Promise<void>): void {
    this.accepted++;
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev
      .then(async () => {
        await this.acquire();
        try {
          await task();
        } finally {
          this.release();
        }
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
        this.accepted--;
        if (this.accepted === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
    this.tails.set(key, next);
  }

  async idle(): Promise<void> {
    if (this.accepted === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return;
    }
    // release() hands its slot straight to the first waiter: `running` stays as it is.
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.running--;
  }
}
