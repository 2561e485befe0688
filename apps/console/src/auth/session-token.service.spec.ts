import { parseConfig } from '@omnigate/kit';
import { ConsoleEnv } from '../config/console.config';
import { Clock } from './clock.port';
import { SessionTokenService } from './session-token.service';

class ManualClock extends Clock {
  constructor(public t: number) {
    super();
  }
  now(): number {
    return this.t;
  }
}

const T0 = Date.parse('2025-03-01T10:00:00Z');

function service(clock: Clock, secret = 's'.repeat(32)): SessionTokenService {
  const config = parseConfig(ConsoleEnv, {
    CONSOLE_AGENTS: 'alice:password1',
    CONSOLE_SESSION_SECRET: secret,
    CONSOLE_SESSION_TTL_MIN: '10',
  });
  return new SessionTokenService(config, clock);
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('SessionTokenService', () => {
  it('issues a token that verifies until its expiry', () => {
    const clock = new ManualClock(T0);
    const tokens = service(clock);
    const { token, session } = tokens.issue('alice');
    expect(session).toEqual({ agentId: 'alice', expiresAt: T0 + 10 * 60_000 });
    expect(tokens.verify(token)).toEqual(session);
    clock.t = T0 + 10 * 60_000 - 1;
    expect(tokens.verify(token).agentId).toBe('alice');
    clock.t = T0 + 10 * 60_000;
    expect(codeOf(() => tokens.verify(token))).toBe('CONSOLE.TOKEN_EXPIRED');
  });

  it('refuses a payload changed without re-signing', () => {
    const tokens = service(new ManualClock(T0));
    const [, mac] = tokens.issue('alice').token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ v: 1, sub: 'bob', iat: T0, exp: T0 + 1e9 }),
    ).toString('base64url');
    expect(codeOf(() => tokens.verify(`${forged}.${mac}`))).toBe('CONSOLE.TOKEN_INVALID');
  });

  it('refuses a token signed with another secret', () => {
    const other = service(new ManualClock(T0), 'o'.repeat(32)).issue('alice').token;
    expect(codeOf(() => service(new ManualClock(T0)).verify(other))).toBe('CONSOLE.TOKEN_INVALID');
  });

  it.each(['', 'abc', 'a.b.c', '.sig', 'body.', 'bm90IGpzb24.xyz'])(
    'refuses the malformed token %p',
    (t) => {
      expect(codeOf(() => service(new ManualClock(T0)).verify(t))).toBe('CONSOLE.TOKEN_INVALID');
    },
  );
});
