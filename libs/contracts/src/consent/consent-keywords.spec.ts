import { classifyConsentKeyword, inboundKindOf } from './consent-keywords';

describe('classifyConsentKeyword (whole message, Italian and English)', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])(
    'English %s opts out',
    (w) => {
      expect(classifyConsentKeyword(w)).toEqual({ kind: 'optout', keyword: w });
    },
  );

  it.each(['ANNULLA', 'BASTA', 'DISISCRIVI', 'DISISCRIVIMI', 'CANCELLAMI', 'REVOCA'])(
    'Italian %s opts out',
    (w) => {
      expect(classifyConsentKeyword(w)).toEqual({ kind: 'optout', keyword: w });
    },
  );

  it.each(['START', 'UNSTOP', 'SUBSCRIBE', 'ISCRIVI', 'ISCRIVIMI', 'RIATTIVA'])(
    '%s opts in',
    (w) => {
      expect(classifyConsentKeyword(w)).toEqual({ kind: 'optin', keyword: w });
    },
  );

  it.each(['HELP', 'INFO', 'AIUTO'])('%s asks for help', (w) => {
    expect(classifyConsentKeyword(w)).toEqual({ kind: 'help', keyword: w });
  });

  it('ignores case, whitespace and surrounding punctuation', () => {
    expect(classifyConsentKeyword('  stop\n')).toEqual({ kind: 'optout', keyword: 'STOP' });
    expect(classifyConsentKeyword('Basta!')).toEqual({ kind: 'optout', keyword: 'BASTA' });
    expect(classifyConsentKeyword('«Disiscrivimi.»')?.kind).toBe('optout');
    expect(classifyConsentKeyword('STOP 🛑')?.kind).toBe('optout');
    expect(classifyConsentKeyword('\tStArT ')).toEqual({ kind: 'optin', keyword: 'START' });
    expect(classifyConsentKeyword('opt   out')).toEqual({ kind: 'optout', keyword: 'OPT OUT' });
  });

  it("reads Telegram's /stop and /start commands", () => {
    expect(classifyConsentKeyword('/stop')?.kind).toBe('optout');
    expect(classifyConsentKeyword('/start')?.kind).toBe('optin');
    // A deep link carries a payload: that is identity linking, not consent.
    expect(classifyConsentKeyword('/start link_abc123')).toBeNull();
  });

  it('ignores accents', () => {
    expect(classifyConsentKeyword('Aiutò')?.kind).toBe('help');
  });

  it('treats sentences and other words as text', () => {
    expect(classifyConsentKeyword('Stop please')).toBeNull();
    expect(classifyConsentKeyword('per favore basta messaggi')).toBeNull();
    expect(classifyConsentKeyword('STOPPA')).toBeNull();
    expect(classifyConsentKeyword('YES')).toBeNull();
    expect(classifyConsentKeyword('')).toBeNull();
    expect(classifyConsentKeyword('!!!')).toBeNull();
    expect(classifyConsentKeyword('Ciao, la mia carta è bloccata')).toBeNull();
    expect(classifyConsentKeyword(`STOP${' '.repeat(100)}`)).toBeNull();
  });

  it('gives the InboundMessageV1 kind', () => {
    expect(inboundKindOf('stop')).toBe('optout');
    expect(inboundKindOf('Iscrivimi')).toBe('optin');
    expect(inboundKindOf('aiuto')).toBe('help');
    expect(inboundKindOf('ciao')).toBe('text');
  });
});
