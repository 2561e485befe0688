import { authLine, dmarcProves, summarizeAuth } from './email-auth.mapper';

describe('summarizeAuth', () => {
  it('reads mailauth’s result shape', () => {
    const s = summarizeAuth({
      spf: { status: { result: 'pass' } },
      dkim: { results: [{ status: { result: 'fail' } }, { status: { result: 'pass' } }] },
      dmarc: { status: { result: 'pass' }, domain: 'Example.IT' },
    });
    expect(s).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass', fromDomain: 'example.it' });
    expect(authLine(s)).toBe('spf=pass dkim=pass dmarc=pass');
  });

  it('treats missing or unreadable parts as none', () => {
    expect(summarizeAuth({ spf: false, dkim: { results: [] }, dmarc: false })).toEqual({
      spf: 'none',
      dkim: 'none',
      dmarc: 'none',
      fromDomain: null,
    });
    expect(summarizeAuth(undefined).dmarc).toBe('none');
    expect(summarizeAuth({ spf: { status: { result: 'weird' } } }).spf).toBe('none');
  });
});

describe('dmarcProves', () => {
  const pass = { spf: 'pass', dkim: 'pass', dmarc: 'pass', fromDomain: 'example.it' } as const;

  it('proves the From address only when DMARC passed for its own domain', () => {
    expect(dmarcProves(pass, 'giulia.rossi@example.it')).toBe(true);
    expect(dmarcProves(pass, 'giulia.rossi@other.example')).toBe(false);
    expect(dmarcProves({ ...pass, dmarc: 'fail' }, 'giulia.rossi@example.it')).toBe(false);
    expect(dmarcProves({ ...pass, dmarc: 'none' }, 'giulia.rossi@example.it')).toBe(false);
  });
});
