import { z } from 'zod';
import {
  BroadcastSubjects,
  AllRequests,
  CHANNELS,
  ChannelStreams,
  StreamSubjects,
  Subjects,
  channelOfSubject,
  inboundOrderKey,
  partitionOf,
  partitionToken,
} from './index';
import { expectGolden } from './golden.fixture';

/**
 * Golden JSON Schemas of every request subject (request and response), one file per subject under
 * golden/requests/: a change to what a caller sends or gets fails here.
 */
describe.each(Object.entries(AllRequests))('request %s', (_name, d) => {
  it('matches its golden JSON Schema (request and response)', () => {
    expectGolden(`requests/${d.subject}.json`, {
      subject: d.subject,
      request: z.toJSONSchema(d.request, { io: 'input' }),
      response: z.toJSONSchema(d.response, { io: 'input' }),
    });
  });
});

describe('bus declarations', () => {
  it('declare every request subject exactly once', () => {
    const declared = Object.values(AllRequests).map((d) => d.subject);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual(Object.values(Subjects.rpc).sort());
  });

  it('publish a stream message on the concrete subject inside the declared filter', () => {
    const inbound = StreamSubjects.inbound;
    const from = { address: '123456' };
    const subject = inbound.publishSubject?.({ channel: 'telegram', from } as never);
    const partition = partitionOf(inboundOrderKey({ channel: 'telegram', from }));
    expect(subject).toBe(`msg.in.v1.telegram.${partitionToken(partition)}`);
    expect(StreamSubjects.status.publishSubject?.({ channel: 'sms' } as never)).toBe(
      'msg.status.v1.sms',
    );
    expect(BroadcastSubjects.typing.subject).toBe(Subjects.typingAll);
  });

  it('declare each gateway’s own streams once per channel, filtered on that channel', () => {
    for (const channel of CHANNELS) {
      expect(ChannelStreams.outbound[channel]).toMatchObject({
        kind: 'stream',
        stream: 'MSG_OUT',
        subject: Subjects.outbound(channel),
      });
      expect(ChannelStreams.consentChanged[channel]).toMatchObject({
        kind: 'stream',
        stream: 'CONSENT_EVENTS',
        subject: Subjects.consentChanged(channel),
      });
      expect(channelOfSubject(ChannelStreams.outbound[channel].subject)).toBe(channel);
    }
    expect(Object.keys(ChannelStreams.outbound).sort()).toEqual([...CHANNELS].sort());
    expect(Object.isFrozen(ChannelStreams.outbound.sms)).toBe(true);
  });
});

describe('channelOfSubject', () => {
  it('reads the channel from the last token of the message planes only', () => {
    expect(channelOfSubject('msg.in.v1.telegram')).toBe('telegram');
    expect(channelOfSubject('msg.status.v1.sms')).toBe('sms');
    expect(channelOfSubject('msg.out.v1.inapp')).toBe('inapp');
    expect(channelOfSubject('msg.in.v1.fax')).toBeNull();
    expect(channelOfSubject('msg.in.v1.sms.p07')).toBe('sms');
    expect(channelOfSubject('msg.in.v1.sms.extra')).toBeNull();
    expect(channelOfSubject('msg.in.v1.sms.p07.p01')).toBeNull();
    expect(channelOfSubject('msg.status.v1.sms.p07')).toBeNull();
    expect(channelOfSubject('core.v1.event.sms')).toBeNull();
  });
});
