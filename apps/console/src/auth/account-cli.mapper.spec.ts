import {
  parseAccountCliArgs,
  parseTotpCliArgs,
  passwordFromStdin,
  upsertAccount,
} from './account-cli.mapper';

const HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$81/vh/YxJNpVcxtNsmnwdg$EfsbtIBLhZDZsJfNe1RqdvvozfYwjm58ExhK//2P3Ak';

describe('console:account CLI', () => {
  it('reads id, role, queues and file', () => {
    expect(
      parseAccountCliArgs([
        'alice',
        '--role',
        'agent',
        '--queues',
        'general,fraud',
        '--file',
        'a.json',
      ]),
    ).toEqual({ id: 'alice', role: 'agent', queues: ['general', 'fraud'], file: 'a.json' });
    expect(parseAccountCliArgs(['sam', '--role', 'supervisor'])).toEqual({
      id: 'sam',
      role: 'supervisor',
      queues: [],
    });
  });

  it('lists every problem: unknown queue, role, option, missing id or queues', () => {
    expect(parseAccountCliArgs(['alice', '--queues', 'general,cards'])).toEqual({
      problems: ['--queues: "cards" is not a queue (one of fraud, onboarding, disputes, general)'],
    });
    expect(parseAccountCliArgs(['--role', 'root', '--colour', 'red'])).toEqual({
      problems: [
        'unknown option --colour',
        'give exactly one account id',
        '--role must be one of agent, supervisor, admin, dpo',
      ],
    });
    expect(parseAccountCliArgs(['bob', '--role', 'agent'])).toEqual({
      problems: ['an agent needs --queues'],
    });
    expect(parseAccountCliArgs(['bob', '--queues'])).toMatchObject({
      problems: expect.arrayContaining(['--queues needs a value']) as unknown,
    });
  });

  it('takes the first line of stdin as the password, at least 8 characters', () => {
    expect(passwordFromStdin('correct horse\nignored\n')).toBe('correct horse');
    expect(passwordFromStdin('short\n')).toEqual({
      problem: 'the password must be at least 8 characters',
    });
  });

  it('adds an entry to the file, or replaces the one with the same id', () => {
    const alice = {
      id: 'alice',
      passwordHash: HASH,
      role: 'agent' as const,
      queues: ['general' as const],
    };
    const one = upsertAccount(null, alice);
    expect(JSON.parse(one)).toEqual([alice]);
    const two = upsertAccount(one, { ...alice, id: 'bob' });
    const replaced = upsertAccount(two, { ...alice, queues: ['fraud'] });
    expect(
      (JSON.parse(replaced) as Array<{ id: string; queues: string[] }>).map((a) => [
        a.id,
        a.queues,
      ]),
    ).toEqual([
      ['bob', ['general']],
      ['alice', ['fraud']],
    ]);
    expect(() => upsertAccount('{"x":1}', alice)).toThrow('the accounts file is not valid');
  });

  it('reads the totp and code commands, and nothing else as one', () => {
    expect(parseTotpCliArgs(['totp', 'sam'])).toEqual({ command: 'totp', id: 'sam' });
    expect(parseTotpCliArgs(['code', 'dora'])).toEqual({ command: 'code', id: 'dora' });
    expect(parseTotpCliArgs(['totp'])).toEqual({ problems: ['totp needs exactly one account id'] });
    expect(parseTotpCliArgs(['code', 'a b'])).toEqual({
      problems: ['the id must be 1-64 of [A-Za-z0-9._-]'],
    });
    expect(parseTotpCliArgs(['sam', '--role', 'supervisor'])).toBeNull();
  });
});
