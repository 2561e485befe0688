import {
  addressOfChatId,
  chatIdOf,
  isCustomerMessage,
  mapWebjsMessage,
  reconnectDelay,
  stateOfAck,
} from './webjs.mapper';
import type { WebjsMessageLike } from './webjs.mapper';

function msg(over: Partial<WebjsMessageLike> = {}): WebjsMessageLike {
  return {
    id: {
      fromMe: false,
      remote: '393471234567@c.us',
      id: '3A01',
      _serialized: 'false_393471234567@c.us_3A01',
    },
    from: '393471234567@c.us',
    to: '390212345678@c.us',
    body: 'Ciao',
    type: 'chat',
    hasMedia: false,
    fromMe: false,
    isStatus: false,
    _data: { notifyName: 'Giulia' },
    ...over,
  };
}

describe('web.js addresses', () => {
  it('c.us ids ↔ E.164; @lid stays raw', () => {
    expect(addressOfChatId('393471234567@c.us')).toBe('+393471234567');
    expect(addressOfChatId('123456789012345@lid')).toBe('123456789012345@lid');
    expect(chatIdOf('+393471234567')).toBe('393471234567@c.us');
    expect(chatIdOf('123456789012345@lid')).toBe('123456789012345@lid');
  });
});

describe('isCustomerMessage', () => {
  it('accepts a person writing to us; ignores ours, status broadcasts and groups', () => {
    expect(isCustomerMessage(msg())).toBe(true);
    expect(isCustomerMessage(msg({ fromMe: true }))).toBe(false);
    expect(isCustomerMessage(msg({ isStatus: true, from: 'status@broadcast' }))).toBe(false);
    expect(isCustomerMessage(msg({ from: '120363042@g.us', author: '393471234567@c.us' }))).toBe(
      false,
    );
  });
});

describe('mapWebjsMessage', () => {
  it('text: E.164, name, id._serialized as the dedupe key', () => {
    expect(mapWebjsMessage(msg(), '+390212345678')).toEqual({
      providerMessageId: 'false_393471234567@c.us_3A01',
      from: '+393471234567',
      to: '+390212345678',
      displayName: 'Giulia',
      text: 'Ciao',
      attachments: [],
      meta: { type: 'chat' },
    });
  });

  it('media: a reference to the message (downloaded by the device later)', () => {
    const m = mapWebjsMessage(
      msg({ type: 'ptt', hasMedia: true, body: '', _data: { mimetype: 'audio/ogg; codecs=opus' } }),
      '+390212345678',
    );
    expect(m.attachments).toEqual([
      {
        kind: 'audio',
        mimeType: 'audio/ogg',
        size: 0,
        sha256: null,
        ref: 'whatsapp-webjs:media/false_393471234567@c.us_3A01',
      },
    ]);
  });
});

describe('stateOfAck', () => {
  it.each([
    [-1, 'failed'],
    [0, 'queued'],
    [1, 'sent'],
    [2, 'delivered'],
    [3, 'read'],
    [4, 'read'],
    [9, null],
  ])('ack %s → %s', (ack, state) => {
    expect(stateOfAck(ack)).toBe(state);
  });
});

describe('reconnectDelay', () => {
  it('follows the schedule and repeats its last value', () => {
    expect([0, 1, 2, 3, 10].map((n) => reconnectDelay([100, 500, 2000], n))).toEqual([
      100, 500, 2000, 2000, 2000,
    ]);
  });
});
