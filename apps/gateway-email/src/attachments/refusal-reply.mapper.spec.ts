import { isAutomated, refusalReply } from './refusal-reply.mapper';

describe('isAutomated', () => {
  it('recognises bounces, auto-replies and list mail', () => {
    expect(isAutomated(new Map(), '')).toBe(true);
    expect(isAutomated(new Map([['auto-submitted', 'auto-replied']]), 'a@b.it')).toBe(true);
    expect(isAutomated(new Map([['list-id', { value: '<news.b.it>' }]]), 'a@b.it')).toBe(true);
    expect(isAutomated(new Map([['precedence', 'bulk']]), 'a@b.it')).toBe(true);
  });

  it('answers a person’s mail', () => {
    expect(isAutomated(new Map([['auto-submitted', 'no']]), 'a@b.it')).toBe(false);
    expect(isAutomated(new Map(), null)).toBe(false);
  });
});

describe('refusalReply', () => {
  it('lists the reasons in Italian and English, threaded and marked as automatic', () => {
    const r = refusalReply({
      messageId: '<m@c>',
      subject: 'Documenti',
      references: ['<r@c>'],
      reasons: ['"a.exe" is an executable file'],
    });
    expect(r).toMatchObject({
      subject: 'Re: Documenti',
      inReplyTo: '<m@c>',
      references: ['<r@c>', '<m@c>'],
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(r.text.match(/- "a\.exe" is an executable file/g)).toHaveLength(2);
    expect(r.text).toMatch(/^Gentile cliente/);
    expect(r.text).toMatch(/Dear customer/);
  });
});
