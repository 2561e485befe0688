import { formatAmount } from './core-banking-scenario.service';

describe('formatAmount', () => {
  it('writes minor units the way the fraud engine names a payment', () => {
    expect(formatAmount(-124_900)).toBe('EUR 1,249.00');
    expect(formatAmount(100)).toBe('EUR 1.00');
    expect(formatAmount(-5, 'GBP')).toBe('GBP 0.05');
  });
});
