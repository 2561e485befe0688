import { SmtpClientLimits } from './smtp-client-limits';

describe('SmtpClientLimits', () => {
  it('admits up to the limit per address, and frees a slot once per admitted session', () => {
    const l = new SmtpClientLimits({ maxConnectionsPerAddress: 2, messagesPerMinute: 10 });
    expect(l.admit('s1', '192.0.2.1')).toBe(true);
    expect(l.admit('s2', '192.0.2.1')).toBe(true);
    expect(l.admit('s3', '192.0.2.1')).toBe(false);
    expect(l.admit('s4', '192.0.2.2')).toBe(true);
    // A refused session's close frees nothing; a session closed twice frees one slot.
    l.release('s3');
    expect(l.openFrom('192.0.2.1')).toBe(2);
    l.release('s1');
    l.release('s1');
    expect(l.openFrom('192.0.2.1')).toBe(1);
    expect(l.admit('s5', '192.0.2.1')).toBe(true);
    expect(l.admit('s6', '192.0.2.1')).toBe(false);
  });

  it('counts mail transactions per address per minute', () => {
    const l = new SmtpClientLimits({ maxConnectionsPerAddress: 1, messagesPerMinute: 2 });
    expect(l.takeMessage('192.0.2.1')).toBe(0);
    expect(l.takeMessage('192.0.2.1')).toBe(0);
    expect(l.takeMessage('192.0.2.1')).toBeGreaterThan(0);
    expect(l.takeMessage('192.0.2.2')).toBe(0);
  });
});
