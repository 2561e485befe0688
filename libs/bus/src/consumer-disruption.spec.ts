import { ReadPosition } from './consumer-disruption';

describe('ReadPosition: where reading starts again after a disruption', () => {
  it('is the lowest message still in hand, whatever finished after it', () => {
    const p = new ReadPosition(undefined);
    for (const seq of [4, 9, 12]) p.received(seq);
    p.finished(12);
    expect(p.firstUnfinished()).toBe(4);
    p.finished(4);
    expect(p.firstUnfinished()).toBe(9);
  });

  it('is the one after the last message seen when nothing is in hand', () => {
    const p = new ReadPosition(30);
    p.received(31);
    p.received(40);
    p.finished(40);
    p.finished(31);
    expect(p.firstUnfinished()).toBe(41);
  });

  it('is where the consumer started (or the stream’s first) before any message came', () => {
    expect(new ReadPosition(17).firstUnfinished()).toBe(17);
    expect(new ReadPosition(undefined).firstUnfinished()).toBe(1);
  });

  it('looks back: where it stood a window ago, not where it stands now', () => {
    let t = 0;
    const p = new ReadPosition(undefined, () => t);
    for (let seq = 1; seq <= 30; seq++) {
      t = seq * 1000;
      p.received(seq);
      p.finished(seq);
    }
    expect(p.firstUnfinished()).toBe(31);
    // At t = 30 s, 10 s back: the mark before the window's start (t = 19 s, when 19 was next).
    expect(p.firstUnfinishedSince(10_000)).toBe(19);
    expect(p.firstUnfinishedSince(0)).toBe(29);
  });
});

describe('ReadPosition.lastKnown: where a gap check starts', () => {
  it('is the last message received, else the one before the start, else unknown', () => {
    expect(new ReadPosition(undefined).lastKnown()).toBeUndefined();
    const p = new ReadPosition(50);
    expect(p.lastKnown()).toBe(49);
    p.received(57);
    p.received(53);
    expect(p.lastKnown()).toBe(57);
  });
});
