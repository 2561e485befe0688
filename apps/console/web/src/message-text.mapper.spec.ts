import { splitCardTokens } from './message-text.mapper';

describe('splitCardTokens', () => {
  it('cuts out every card token with its brand and last four digits', () => {
    expect(
      splitCardTokens('my card [card visa ****4821 ref_abcdefghijklmnopabcd] is blocked'),
    ).toEqual([
      { kind: 'text', text: 'my card ' },
      { kind: 'card', brand: 'visa', last4: '4821', token: 'ref_abcdefghijklmnopabcd' },
      { kind: 'text', text: ' is blocked' },
    ]);
  });

  it('leaves text without tokens (and look-alikes) as one run', () => {
    expect(splitCardTokens('[card visa ****48 ref_x] hi')).toEqual([
      { kind: 'text', text: '[card visa ****48 ref_x] hi' },
    ]);
    expect(splitCardTokens('')).toEqual([]);
  });

  it('keeps markup as text: nothing here is HTML', () => {
    expect(splitCardTokens('<script>alert(1)</script>')).toEqual([
      { kind: 'text', text: '<script>alert(1)</script>' },
    ]);
  });
});
