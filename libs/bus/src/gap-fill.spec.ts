import { RecentIds } from './gap-fill';

describe('RecentIds: what a gap check knows was received while the stream was suspect', () => {
  it('knows the ids since the first recorded sequence, and the last sequence recorded', () => {
    const r = new RecentIds();
    expect(r.since()).toBeUndefined();
    r.add('a', 10);
    r.add(undefined, 12);
    r.add('b', 11);
    expect(r.since()).toBe(10);
    expect(r.lastSeq).toBe(12);
    expect(r.has('a') && r.has('b')).toBe(true);
    expect(r.has('c')).toBe(false);
    r.clear();
    expect([r.since(), r.lastSeq, r.has('a')]).toEqual([undefined, undefined, false]);
  });

  it('forgets the oldest beyond 512 ids and starts no earlier than what it still knows', () => {
    const r = new RecentIds();
    for (let seq = 1; seq <= 513; seq++) r.add(`m${seq}`, seq);
    expect(r.has('m1')).toBe(false);
    expect(r.has('m2')).toBe(true);
    expect(r.since()).toBe(2);
  });
});
