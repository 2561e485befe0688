import { OUTAGE_WAIT_CAP_MS, outageDelay } from './outage-wait';

describe('outageDelay', () => {
  it('follows the backoff, with ±20 % jitter', () => {
    for (let i = 0; i < 200; i++) {
      const d = outageDelay([500, 2000], 1);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(600);
    }
  });

  it('never waits longer than the cap, however long the backoff and the outage', () => {
    for (let attempt = 1; attempt < 500; attempt += 7) {
      expect(outageDelay([500, 30_000, 60_000], attempt)).toBeLessThanOrEqual(
        OUTAGE_WAIT_CAP_MS * 1.2,
      );
    }
  });
});
