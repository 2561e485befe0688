import { windowDecision } from './service-window.rule';

const H = 3_600_000;
const now = Date.UTC(2026, 10, 23, 12);

describe('windowDecision (WhatsApp’s 24-hour customer-service window)', () => {
  const at = (lastInboundAt: number | undefined, hasTemplate = false, hasServiceWindow = true) =>
    windowDecision({ hasServiceWindow, lastInboundAt, now, windowMs: 24 * H, hasTemplate });

  it('free text within 24 hours of the customer’s last message', () => {
    expect(at(now - 1000)).toBe('free_text');
    expect(at(now - 24 * H + 1)).toBe('free_text');
  });

  it('outside the window (or never written): the template if there is one, else refuse', () => {
    expect(at(now - 24 * H)).toBe('refuse');
    expect(at(undefined)).toBe('refuse');
    expect(at(now - 25 * H, true)).toBe('template');
    expect(at(undefined, true)).toBe('template');
  });

  it('a template is not forced while the window is open (free text goes)', () => {
    expect(at(now - H, true)).toBe('free_text');
  });

  it('providers without the rule (a linked device) always send', () => {
    expect(at(undefined, false, false)).toBe('free_text');
  });
});
