import { resumeFrom } from './imap-cursor.mapper';

describe('resumeFrom', () => {
  it('starts at the beginning the first time', () => {
    expect(resumeFrom(undefined, '1')).toEqual({ lastUid: 0, resync: false });
  });
  it('resumes after the last UID handled while UIDVALIDITY holds', () => {
    expect(resumeFrom({ uidValidity: '7', lastUid: 42 }, '7')).toEqual({
      lastUid: 42,
      resync: false,
    });
  });
  it('reads everything again when UIDVALIDITY changed (duplicates are dropped by Message-ID)', () => {
    expect(resumeFrom({ uidValidity: '7', lastUid: 42 }, '8')).toEqual({
      lastUid: 0,
      resync: true,
    });
  });
});
