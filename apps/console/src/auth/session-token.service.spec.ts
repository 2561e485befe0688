import { parseConfig } from '@omnigate/kit';
import { ConsoleEnv } from '../config/console.config';
import { AccountDirectory } from './account-directory';
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
const ALICE = { agentId: 'alice', role: 'agent', queues: ['general'] } as const;

async function service(
  clock: Clock,
  env: Record<string, string> = {},
  secret = 's'.repeat(32),
): Promise<SessionTokenService> {
  const config = parseConfig(ConsoleEnv, {
    CONSOLE_AGENTS: 'alice:password1,sam:password2',
    CONSOLE_AGENT_QUEUES: 'alice:general',
    CONSOLE_SESSION_SECRET: secret,
    CONSOLE_SESSION_TTL_MIN: '10',
    ...env,
  });
  return new SessionTokenService(config, clock, await AccountDirectory.build(config));
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
  let tokens: SessionTokenService;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(T0);
    tokens = await service(clock);
  });
  beforeEach(() => (clock.t = T0));

  it('issues a token with role and queues that verifies until its expiry', () => {
    const { token, session } = tokens.issue(ALICE);
    expect(session).toEqual({
      agentId: 'alice',
      role: 'agent',
      queues: ['general'],
      expiresAt: T0 + 10 * 60_000,
    });
    expect(tokens.verify(token)).toEqual(session);
    clock.t = T0 + 10 * 60_000 - 1;
    expect(tokens.verify(token).agentId).toBe('alice');
    clock.t = T0 + 10 * 60_000;
    expect(codeOf(() => tokens.verify(token))).toBe('CONSOLE.TOKEN_EXPIRED');
  });

  it("reads a local account's role and queues again at verification (a changed role applies)", async () => {
    const { token } = tokens.issue(ALICE);
    const promoted = await service(clock, {
      CONSOLE_ROLES: 'alice:supervisor',
      CONSOLE_AGENT_QUEUES: '',
    });
    expect(promoted.verify(token)).toMatchObject({
      role: 'supervisor',
      queues: ['fraud', 'onboarding', 'disputes', 'general'],
    });
    const removed = await service(clock, {
      CONSOLE_AGENTS: 'sam:password2',
      CONSOLE_AGENT_QUEUES: '',
    });
    expect(codeOf(() => removed.verify(token))).toBe('CONSOLE.TOKEN_INVALID');
  });

  it('keeps the role and queues of an OIDC session from the token itself', () => {
    const { token } = tokens.issue({ agentId: 'olga', role: 'agent', queues: ['fraud'] }, 'oidc');
    expect(tokens.verify(token)).toMatchObject({
      agentId: 'olga',
      role: 'agent',
      queues: ['fraud'],
    });
  });

  it('refuses a payload changed without re-signing (another id, role or queue)', () => {
    const token = tokens.issue(ALICE).token;
    const [body, mac] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as object;
    for (const change of [{ sub: 'sam' }, { role: 'admin', src: 'oidc' }, { queues: ['fraud'] }]) {
      const forged = Buffer.from(JSON.stringify({ ...payload, ...change })).toString('base64url');
      expect(codeOf(() => tokens.verify(`${forged}.${mac}`))).toBe('CONSOLE.TOKEN_INVALID');
    }
  });

  it('refuses a token signed with another secret', async () => {
    const other = (await service(clock, {}, 'o'.repeat(32))).issue(ALICE).token;
    expect(codeOf(() => tokens.verify(other))).toBe('CONSOLE.TOKEN_INVALID');
  });

  it('derives a CSRF token per session that differs from the session token', () => {
    const a = tokens.issue(ALICE).token;
    clock.t += 1;
    const b = tokens.issue(ALICE).token;
    expect(tokens.csrfFor(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.csrfFor(a)).toBe(tokens.csrfFor(a));
    expect(tokens.csrfFor(a)).not.toBe(tokens.csrfFor(b));
    expect(a).not.toContain(tokens.csrfFor(a));
  });

  it.each(['', 'abc', 'a.b.c', '.sig', 'body.', 'bm90IGpzb24.xyz'])(
    'refuses the malformed token %p',
    (t) => {
      expect(codeOf(() => tokens.verify(t))).toBe('CONSOLE.TOKEN_INVALID');
    },
  );
});
