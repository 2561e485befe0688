import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it('lets a burst through, then refuses with the time until the next token', () => {
    const b = new TokenBuckets({ burst: 3, perMinute: 60 });
    expect([b.take('ip', 0), b.take('ip', 0), b.take('ip', 0)]).toEqual([
      { ok: true },
      { ok: true },
      { ok: true },
    ]);
    expect(b.take('ip', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(b.take('ip', 400)).toEqual({ ok: false, retryAfterMs: 600 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    const b = new TokenBuckets({ burst: 2, perMinute: 60 });
    b.take('ip', 0);
    b.take('ip', 0);
    expect(b.take('ip', 1000)).toEqual({ ok: true });
    expect(b.take('ip', 1000).ok).toBe(false);
    // An hour idle gives back the burst, not 3600 tokens.
    expect(b.take('ip', 3_601_000).ok).toBe(true);
    expect(b.take('ip', 3_601_000).ok).toBe(true);
    expect(b.take('ip', 3_601_000).ok).toBe(false);
  });

  it('keeps one bucket per key', () => {
    const b = new TokenBuckets({ burst: 1, perMinute: 1 });
    expect(b.take('a', 0).ok).toBe(true);
    expect(b.take('a', 0).ok).toBe(false);
    expect(b.take('b', 0).ok).toBe(true);
  });

  it('forgets the least recently seen keys beyond maxKeys', () => {
    const b = new TokenBuckets({ burst: 1, perMinute: 1, maxKeys: 2 });
    b.take('a', 0);
    b.take('b', 0);
    b.take('a', 1);
    b.take('c', 2);
    expect(b.size).toBe(2);
    // 'b' was forgotten: it starts with a full bucket again; 'a' was kept and is empty.
    expect(b.take('b', 3).ok).toBe(true);
    expect(b.take('c', 3).ok).toBe(false);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new TokenBuckets({ burst: 0, perMinute: 10 })).toThrow(/burst/);
    expect(() => new TokenBuckets({ burst: 1, perMinute: 0 })).toThrow(/perMinute/);
  });
});
