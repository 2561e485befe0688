/** Thrown by `Semaphore.run` when every slot is busy and the queue is full. */
export class SemaphoreFullError extends Error {
  constructor() {
    super('semaphore full');
    this.name = 'SemaphoreFullError';
  }
}

/**
 * At most `max` tasks at once, at most `maxQueue` waiting (first come, first served); beyond, a
 * task is refused at once rather than queued without bound.
 */
export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly maxQueue: number,
  ) {
    if (max < 1 || maxQueue < 0) throw new Error('semaphore: max >= 1 and maxQueue >= 0');
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxQueue) throw new SemaphoreFullError();
      // The slot is handed over by the finishing task (running is not decremented in between).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
