import { newSid, rfc2822, toMessagePage, toMessageResource } from './twilio-resource.mapper';
import type { TwilioMessageRecord } from './twilio.types';

const ACCOUNT = 'AC' + 'a'.repeat(32);

function record(n: number): TwilioMessageRecord {
  const d = new Date(Date.UTC(2023, 7, 24, 5, 1, 45));
  return {
    sid: 'SM' + String(n).padStart(32, '0'),
    accountSid: ACCOUNT,
    direction: 'outbound-api',
    from: '+390212345678',
    to: '+393471234567',
    body: `m${n}`,
    status: 'queued',
    numSegments: 1,
    numMedia: 0,
    messagingServiceSid: null,
    statusCallback: null,
    errorCode: null,
    errorMessage: null,
    dateCreated: d,
    dateUpdated: d,
    dateSent: null,
  };
}

describe('Twilio resource rendering', () => {
  it('makes SIDs of a prefix and 32 hex digits', () => {
    expect(newSid('SM')).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('writes dates like Twilio (RFC 2822, +0000)', () => {
    expect(rfc2822(new Date(Date.UTC(2023, 7, 24, 5, 1, 45)))).toBe(
      'Thu, 24 Aug 2023 05:01:45 +0000',
    );
    expect(rfc2822(null)).toBeNull();
  });

  it('renders a message in snake_case with counts as strings', () => {
    expect(toMessageResource(record(1))).toMatchObject({
      account_sid: ACCOUNT,
      api_version: '2010-04-01',
      date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
      date_sent: null,
      num_segments: '1',
      num_media: '0',
      error_code: null,
      uri: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${record(1).sid}.json`,
    });
  });

  it('pages with next_page_uri until the last page', () => {
    const all = [record(3), record(2), record(1)];
    const first = toMessagePage(ACCOUNT, all, { page: 0, pageSize: 2 }, 'To=%2B393471234567');
    expect(first).toMatchObject({
      page: 0,
      page_size: 2,
      start: 0,
      end: 1,
      previous_page_uri: null,
    });
    expect(first.next_page_uri).toBe(
      `/2010-04-01/Accounts/${ACCOUNT}/Messages.json?To=%2B393471234567&PageSize=2&Page=1`,
    );
    const last = toMessagePage(ACCOUNT, all, { page: 1, pageSize: 2 }, '');
    expect(last).toMatchObject({ next_page_uri: null, start: 2, end: 2 });
    expect((last.messages as unknown[]).length).toBe(1);
  });
});
