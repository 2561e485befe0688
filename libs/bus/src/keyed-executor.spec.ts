import { KeyedExecutor } from './keyed-executor';

/** A task the test finishes by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('KeyedExecutor', () => {
  it('runs one key in order and at most `concurrency` tasks at once', async () => {
    const exec = new KeyedExecutor(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const task = (name: string) => () => {
      started.push(name);
      const g = gate();
      gates.set(name, g);
      return g.opened;
    };
    exec.run('a', task('a1'));
    exec.run('a', task('a2'));
    exec.run('b', task('b1'));
    exec.run('c', task('c1'));
    await new Promise((r) => setImmediate(r));
    // a2 waits for a1 without taking a slot: b1 runs beside a1, c1 waits for a slot.
    expect(started).toEqual(['a1', 'b1']);
    expect(exec.size).toBe(4);
    const settle = () => new Promise((r) => setImmediate(r));
    gates.get('a1')!.open();
    await settle();
    // a1's slot goes to c1, first in line for a slot; a2 now queues for one.
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gates.get('b1')!.open();
    await settle();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    gates.get('c1')!.open();
    gates.get('a2')!.open();
    await exec.idle();
    expect(exec.size).toBe(0);
  });

  it('a failing task frees its slot and its key', async () => {
    const exec = new KeyedExecutor(1);
    const ran: string[] = [];
    exec.run('a', () => Promise.reject(new Error('boom')));
    exec.run('a', () => Promise.resolve(void ran.push('after')));
    await exec.idle();
    expect(ran).toEqual(['after']);
  });
});
