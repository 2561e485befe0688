export interface TokenBucketOptions {
  /** Requests a key may make at once (the bucket's size). */
  burst: number;
  /** Sustained rate: tokens added per minute. */
  perMinute: number;
  /** Keys tracked at most; the least recently seen are forgotten first (memory stays bounded). */
  maxKeys?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (a source IP): each request takes one token; tokens come back at
 * `perMinute`. In memory, per process: with N instances a source gets up to N times the rate,
 * which is fine for flood protection (the provider's own retries stay well under it).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxKeys: number;

  constructor(private readonly opts: TokenBucketOptions) {
    if (opts.burst < 1 || opts.perMinute <= 0) {
      throw new Error('token bucket: burst must be >= 1 and perMinute > 0');
    }
    this.perMs = opts.perMinute / 60_000;
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  take(key: string, now = Date.now()): TakeResult {
    const b = this.buckets.get(key) ?? { tokens: this.opts.burst, at: now };
    this.buckets.delete(key);
    b.tokens = Math.min(this.opts.burst, b.tokens + Math.max(0, now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - b.tokens) / this.perMs) };
  }

  /** Keys currently tracked (for tests and a gauge). */
  get size(): number {
    return this.buckets.size;
  }
}
