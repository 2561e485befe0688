import { subjectMatches } from './subject-match';

describe('subjectMatches', () => {
  it('matches literal subjects token by token', () => {
    expect(subjectMatches('msg.in.v1.sms', 'msg.in.v1.sms')).toBe(true);
    expect(subjectMatches('msg.in.v1.sms', 'msg.in.v1.sms.p07')).toBe(false);
    expect(subjectMatches('msg.in.v1.sms.p07', 'msg.in.v1.sms')).toBe(false);
  });
  it('lets * stand for exactly one token and > for one or more', () => {
    expect(subjectMatches('msg.in.v1.sms.*', 'msg.in.v1.sms.p07')).toBe(true);
    expect(subjectMatches('msg.in.v1.sms.*', 'msg.in.v1.sms')).toBe(false);
    expect(subjectMatches('msg.in.v1.sms.*', 'msg.in.v1.telegram.p07')).toBe(false);
    expect(subjectMatches('msg.in.v1.*.p07', 'msg.in.v1.email.p07')).toBe(true);
    expect(subjectMatches('msg.in.v1.>', 'msg.in.v1.sms.p07')).toBe(true);
    expect(subjectMatches('msg.in.v1.>', 'msg.in.v1')).toBe(false);
  });
});
