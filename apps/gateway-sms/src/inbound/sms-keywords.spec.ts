import { HELP_REPLY, matchKeyword } from './sms-keywords';

describe('matchKeyword (Twilio’s lists, whole trimmed body, any case)', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])(
    '%s opts out',
    (w) => {
      expect(matchKeyword(w)).toEqual({ kind: 'optout', keyword: w });
    },
  );

  it.each(['START', 'YES', 'UNSTOP'])('%s opts back in', (w) => {
    expect(matchKeyword(w)).toEqual({ kind: 'optin', keyword: w });
  });

  it.each(['HELP', 'INFO'])('%s asks for help', (w) => {
    expect(matchKeyword(w)).toEqual({ kind: 'help', keyword: w });
  });

  it('ignores case and surrounding whitespace', () => {
    expect(matchKeyword('  stop\n')).toEqual({ kind: 'optout', keyword: 'STOP' });
    expect(matchKeyword('\tStArT ')).toEqual({ kind: 'optin', keyword: 'START' });
  });

  it('matches only the whole body', () => {
    expect(matchKeyword('Stop please')).toBeNull();
    expect(matchKeyword('please stop')).toBeNull();
    expect(matchKeyword('')).toBeNull();
  });

  it('also understands the keywords every channel shares, where Twilio does not act itself', () => {
    // Twilio matches neither (a space, a dot): our own opt-out table still records them.
    expect(matchKeyword('OPT OUT')).toEqual({ kind: 'optout', keyword: 'OPT OUT' });
    expect(matchKeyword('STOP.')).toEqual({ kind: 'optout', keyword: 'STOP' });
    expect(matchKeyword('Basta!')).toEqual({ kind: 'optout', keyword: 'BASTA' });
    expect(matchKeyword('riattiva')).toEqual({ kind: 'optin', keyword: 'RIATTIVA' });
    expect(matchKeyword('')).toBeNull();
    expect(matchKeyword('Ciao')).toBeNull();
  });

  it('has a help reply in Italian and English that says how to stop', () => {
    expect(HELP_REPLY).toMatch(/Rispondi STOP/);
    expect(HELP_REPLY).toMatch(/Reply STOP/);
    expect(HELP_REPLY.length).toBeLessThanOrEqual(320);
  });
});
