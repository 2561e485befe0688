import { twilioKeywordOf } from './twilio-keywords';

describe("Twilio's keyword lists (the one copy)", () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])(
    '%s opts out',
    (w) => expect(twilioKeywordOf(` ${w.toLowerCase()} `)).toEqual({ kind: 'optout', keyword: w }),
  );

  it('knows START, YES, UNSTOP and HELP, INFO; only a whole body matches', () => {
    expect(['START', 'YES', 'UNSTOP'].map((w) => twilioKeywordOf(w)?.kind)).toEqual([
      'optin',
      'optin',
      'optin',
    ]);
    expect(twilioKeywordOf('info')).toEqual({ kind: 'help', keyword: 'INFO' });
    expect(twilioKeywordOf('stop please')).toBeNull();
    expect(twilioKeywordOf('OPT OUT')).toBeNull();
  });
});
