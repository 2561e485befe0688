import { performance } from 'node:perf_hooks';
import { parseConfig } from '@omnigate/kit';
import { ConsoleEnv } from '../config/console.config';
import { AccountDirectory, hashPassword } from './account-directory';

const SECRET = 'x'.repeat(32);

async function directory(env: Record<string, string>): Promise<AccountDirectory> {
  return AccountDirectory.build(
    parseConfig(ConsoleEnv, { CONSOLE_SESSION_SECRET: SECRET, ...env }),
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

describe('AccountDirectory', () => {
  let dir: AccountDirectory;
  beforeAll(async () => {
    dir = await directory({
      CONSOLE_AGENTS: 'alice:alice-password,sam:sam-password',
      CONSOLE_AGENT_QUEUES: 'alice:general|fraud',
      CONSOLE_ROLES: 'sam:supervisor',
    });
  });

  it('keeps only an argon2id hash of a CONSOLE_AGENTS password', () => {
    const alice = dir.find('alice')!;
    expect(alice.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(JSON.stringify(alice)).not.toContain('alice-password');
    expect(alice).toMatchObject({ role: 'agent', queues: ['general', 'fraud'] });
    expect(dir.find('sam')!.queues).toEqual(['fraud', 'onboarding', 'disputes', 'general']);
  });

  it('verifies the right password only, and an unknown id never', async () => {
    expect((await dir.verify('alice', 'alice-password'))?.id).toBe('alice');
    expect(await dir.verify('alice', 'sam-password')).toBeNull();
    expect(await dir.verify('nobody', 'alice-password')).toBeNull();
    expect(await dir.verify('ALICE', 'alice-password')).toBeNull();
  });

  it('spends an argon2 verification on an unknown id too (timing tells nothing)', async () => {
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      wrong.push(await timed(() => dir.verify('alice', 'not-the-password')));
      unknown.push(await timed(() => dir.verify('nobody', 'not-the-password')));
    }
    // Without the decoy hash an unknown id answers in microseconds; with it, like a wrong password.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...wrong) * 0.3);
    expect(Math.min(...unknown)).toBeGreaterThan(2);
  });

  it('logs in accounts of the accounts file with the hash written by the CLI', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'og-acc-')), 'accounts.json');
    const entry = {
      id: 'olga',
      passwordHash: await hashPassword('olga-password-1'),
      role: 'agent',
      queues: ['disputes'],
    };
    writeFileSync(path, JSON.stringify([entry]));
    const fromFile = await directory({ CONSOLE_ACCOUNTS_FILE: path });
    expect(await fromFile.verify('olga', 'olga-password-1')).toEqual(entry);
    expect(await fromFile.verify('olga', 'olga-password-2')).toBeNull();
  });
});
