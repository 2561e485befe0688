import { Semaphore, SemaphoreFullError } from './semaphore';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Semaphore', () => {
  it('runs at most max tasks at once, queues up to maxQueue, refuses the rest at once', async () => {
    const s = new Semaphore(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    let peak = 0;
    const task = (i: number) => () => {
      peak = Math.max(peak, s.inFlight);
      return gates[i]!.promise.then(() => i);
    };
    const runs = [s.run(task(0)), s.run(task(1)), s.run(task(2))];
    expect(s.inFlight).toBe(2);
    expect(s.queued).toBe(1);
    await expect(s.run(() => Promise.resolve(9))).rejects.toBeInstanceOf(SemaphoreFullError);
    gates.forEach((g) => g.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(peak).toBe(2);
    expect(s.inFlight).toBe(0);
    expect(s.queued).toBe(0);
  });

  it('frees its slot when a task throws', async () => {
    const s = new Semaphore(1, 0);
    await expect(s.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await s.run(() => Promise.resolve('ok'))).toBe('ok');
  });
});
