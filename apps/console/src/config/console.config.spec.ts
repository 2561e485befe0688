import { ConfigError, parseConfig } from '@omnigate/kit';
import { ConsoleEnv } from './console.config';

const SECRET = 'x'.repeat(32);

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    parseConfig(ConsoleEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('ConsoleEnv', () => {
  it('parses agents and applies the defaults', () => {
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_AGENTS: 'alice:s3cretpw, bob:hunter2hunter2',
      CONSOLE_SESSION_SECRET: SECRET,
    });
    expect(c.CONSOLE_AGENTS).toEqual([
      { id: 'alice', password: 's3cretpw' },
      { id: 'bob', password: 'hunter2hunter2' },
    ]);
    expect(c.CONSOLE_PORT).toBe(3000);
    expect(c.CONSOLE_SESSION_TTL_MIN).toBe(480);
    expect(c.CONSOLE_RPC_TIMEOUT_MS).toBe(5000);
  });

  it('keeps a colon inside a password', () => {
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_AGENTS: 'alice:a:b:c:d:e:f',
      CONSOLE_SESSION_SECRET: SECRET,
    });
    expect(c.CONSOLE_AGENTS).toEqual([{ id: 'alice', password: 'a:b:c:d:e:f' }]);
  });

  it('lists every missing key', () => {
    const p = problems({});
    expect(p.some((l) => l.startsWith('CONSOLE_AGENTS: required'))).toBe(true);
    expect(p.some((l) => l.startsWith('CONSOLE_SESSION_SECRET: required'))).toBe(true);
  });

  it('names the bad agent entry and never echoes a password or the secret', () => {
    const p = problems({
      CONSOLE_AGENTS: 'alice:short7!,nopassword,bob:longenough1,bob:longenough2,bad id:whatever12',
      CONSOLE_SESSION_SECRET: 'tooshort-secret-value',
      CONSOLE_SESSION_TTL_MIN: '0',
    });
    const text = p.join('\n');
    expect(text).toContain(
      'CONSOLE_AGENTS: entry 1 (agent alice): the password must be at least 8 characters',
    );
    expect(text).toContain('CONSOLE_AGENTS: entry 2 is not "id:password"');
    expect(text).toContain('CONSOLE_AGENTS: entry 4: agent bob is listed twice');
    expect(text).toContain('CONSOLE_AGENTS: entry 5: the agent id must be');
    expect(text).toContain('CONSOLE_SESSION_SECRET: must be at least 32 characters');
    expect(text).toContain('CONSOLE_SESSION_TTL_MIN');
    for (const secret of [
      'short7!',
      'nopassword',
      'longenough',
      'whatever12',
      'tooshort-secret-value',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('refuses an empty agent list', () => {
    expect(problems({ CONSOLE_AGENTS: '', CONSOLE_SESSION_SECRET: SECRET }).join()).toContain(
      'CONSOLE_AGENTS: required: at least one',
    );
  });
});
