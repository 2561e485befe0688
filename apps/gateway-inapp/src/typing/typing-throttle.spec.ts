import { TypingThrottle } from './typing-throttle';

describe('TypingThrottle', () => {
  it('forwards one start per interval and drops the repeats', () => {
    const t = new TypingThrottle(3000);
    expect(t.admit('s1', 'start', 0)).toBe(true);
    expect(t.admit('s1', 'start', 100)).toBe(false);
    expect(t.admit('s1', 'start', 2999)).toBe(false);
    expect(t.admit('s1', 'start', 3000)).toBe(true);
  });

  it('forwards a stop only after a forwarded start, once', () => {
    const t = new TypingThrottle(3000);
    expect(t.admit('s1', 'stop', 0)).toBe(false);
    t.admit('s1', 'start', 10);
    expect(t.admit('s1', 'stop', 20)).toBe(true);
    expect(t.admit('s1', 'stop', 30)).toBe(false);
  });

  it('caps a fast toggler at two signals per interval', () => {
    const t = new TypingThrottle(3000);
    let forwarded = 0;
    for (let ms = 0; ms < 3000; ms += 100) {
      if (t.admit('s1', ms % 200 === 0 ? 'start' : 'stop', ms)) forwarded++;
    }
    expect(forwarded).toBe(2);
  });

  it('keeps senders apart', () => {
    const t = new TypingThrottle(3000);
    expect(t.admit('a', 'start', 0)).toBe(true);
    expect(t.admit('b', 'start', 0)).toBe(true);
  });

  it('owes a stop when a typing sender goes away', () => {
    const t = new TypingThrottle(3000);
    t.admit('a', 'start', 0);
    t.admit('b', 'start', 0);
    t.admit('b', 'stop', 1);
    expect(t.forget('a')).toBe(true);
    expect(t.forget('b')).toBe(false);
    expect(t.forget('nobody')).toBe(false);
  });

  it('lets everything through with a zero interval', () => {
    const t = new TypingThrottle(0);
    expect(t.admit('a', 'start', 0)).toBe(true);
    expect(t.admit('a', 'start', 0)).toBe(true);
  });
});
