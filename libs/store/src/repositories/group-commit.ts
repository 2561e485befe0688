/** One item's outcome in a batch. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Group commit: what is submitted while a batch is being written waits and goes in the next one,
 * so concurrent writers share a transaction (one BEGIN and COMMIT, one flush to disk) instead of
 * each paying for their own. Batches run one after the other, in submission order; an item
 * submitted alone is written alone, after one turn of the event loop (so that the others ready in
 * that turn join it).
 */
export class GroupCommit<I, O> {
  private queue: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private running = false;

  constructor(
    private readonly write: (items: I[]) => Promise<Array<Settled<O>>>,
    private readonly max = 32,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running) return;
      this.running = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.max);
      let results: Array<Settled<O>>;
      try {
        results = await this.write(batch.map((b) => b.item));
      } catch (error) {
        results = batch.map(() => ({ ok: false, error }));
      }
      batch.forEach((b, i) => {
        const r = results[i] ?? { ok: false, error: new Error('no result for a batched item') };
        if (r.ok) b.resolve(r.value);
        else b.reject(r.error);
      });
    }
    this.running = false;
  }
}
