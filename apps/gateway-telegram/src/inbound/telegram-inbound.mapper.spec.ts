import { InboundMessageV1Schema } from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import { contactE164, fileIdOf, fileRef, mapTelegramUpdate } from './telegram-inbound.mapper';
import type { InboundContext, InboundDecision } from './telegram-inbound.mapper';

const redactor = new PanRedactor();
const ctx: InboundContext = {
  redact: (t) => redactor.redact(t),
  botId: '987654321',
  id: '4a1e7a0e-8f0b-4c7e-9a55-3b2f0c1d2e3f',
  now: new Date('2026-11-23T10:00:00Z'),
};
const user = {
  id: 42,
  is_bot: false,
  first_name: 'Giulia',
  last_name: 'Rossi',
  language_code: 'it',
};
const chat = { id: 42, type: 'private' };

function update(message: Record<string, unknown>, updateId = 1001): unknown {
  return {
    update_id: updateId,
    message: { message_id: 7, date: 1_763_870_000, from: user, chat, ...message },
  };
}

function published(d: InboundDecision) {
  if (d.action !== 'publish') throw new Error(`expected publish, got ${d.action}`);
  return InboundMessageV1Schema.parse(d.message);
}

describe('mapTelegramUpdate', () => {
  it('maps a private text to InboundMessage v1: user id as address, bot:chat:message as dedupe key', () => {
    const m = published(mapTelegramUpdate(update({ text: 'ciao' }), ctx));
    expect(m).toMatchObject({
      channel: 'telegram',
      providerMessageId: '987654321:42:7',
      from: { address: '42', displayName: 'Giulia Rossi' },
      to: { address: '987654321' },
      kind: 'text',
      text: 'ciao',
      attachments: [],
      auth: { method: 'none', level: 'none' },
      meta: { chatId: '42', telegramMessageId: '7', languageCode: 'it' },
      // message.date: when the customer sent it, as Telegram recorded it.
      sentAt: '2025-11-23T03:53:20.000Z',
    });
  });

  it('ATTACK: update ids restarted: the same update_id with another message is another key', () => {
    const key = (u: unknown, c: InboundContext = ctx) =>
      published(mapTelegramUpdate(u, c)).providerMessageId;
    const before = key(update({ text: 'a week ago' }, 5));
    const restarted = {
      update_id: 5,
      message: { message_id: 8, date: 1_764_500_000, from: user, chat, text: 'today' },
    };
    expect(key(restarted)).not.toBe(before);
    // Another chat with the same message id, or another bot: other keys as well.
    const otherChat = {
      update_id: 6,
      message: {
        message_id: 7,
        date: 1,
        from: { ...user, id: 43 },
        chat: { id: 43, type: 'private' },
        text: 'x',
      },
    };
    expect(key(otherChat)).toBe('987654321:43:7');
    expect(key(update({ text: 'ciao' }), { ...ctx, botId: '111' })).toBe('111:42:7');
    // A redelivery (any update_id) of the same message keeps its key.
    expect(key(update({ text: 'a week ago' }, 99))).toBe(before);
  });

  it('redacts card numbers in text and captions before anything leaves the mapper', () => {
    const m = published(
      mapTelegramUpdate(update({ text: 'carta 4111111111111111 bloccata' }), ctx),
    );
    expect(m.text).not.toContain('4111111111111111');
    expect(m.redactions).toHaveLength(1);
    const c = published(
      mapTelegramUpdate(
        update({
          caption: 'la 4111-1111-1111-1111',
          photo: [{ file_id: 'p', width: 1, height: 1 }],
        }),
        ctx,
      ),
    );
    expect(c.text).not.toMatch(/4111/);
  });

  it('takes the largest photo size, keeps the caption as text, media by reference', () => {
    const m = published(
      mapTelegramUpdate(
        update({
          caption: 'scontrino',
          photo: [
            { file_id: 'small', width: 90, height: 60, file_size: 900 },
            { file_id: 'large', width: 1280, height: 960, file_size: 90_000 },
          ],
        }),
        ctx,
      ),
    );
    expect(m.text).toBe('scontrino');
    expect(m.meta?.caption).toBe('true');
    expect(m.attachments).toEqual([
      {
        kind: 'image',
        mimeType: 'image/jpeg',
        size: 90_000,
        sha256: null,
        ref: 'telegram:file:large',
      },
    ]);
  });

  it('maps documents (name and type kept), voice notes and audio', () => {
    const d = published(
      mapTelegramUpdate(
        update({
          document: {
            file_id: 'd1',
            file_name: 'estratto.pdf',
            mime_type: 'application/pdf',
            file_size: 10,
          },
        }),
        ctx,
      ),
    );
    expect(d.attachments[0]).toEqual({
      kind: 'document',
      mimeType: 'application/pdf',
      size: 10,
      sha256: null,
      ref: 'telegram:file:d1',
      filename: 'estratto.pdf',
    });
    const v = published(mapTelegramUpdate(update({ voice: { file_id: 'v1' } }), ctx));
    expect(v.attachments[0]).toMatchObject({ kind: 'audio', mimeType: 'audio/ogg', size: 0 });
    const img = published(
      mapTelegramUpdate(update({ document: { file_id: 'd2', mime_type: 'image/png' } }), ctx),
    );
    expect(img.attachments[0]!.kind).toBe('image');
  });

  it('a shared OWN contact carries the phone as a provider-verified proof', () => {
    const m = published(
      mapTelegramUpdate(update({ contact: { phone_number: '393471234567', user_id: 42 } }), ctx),
    );
    expect(m.auth).toEqual({
      method: 'provider_verified_phone',
      level: 'possession',
      subject: '+393471234567',
      authenticatedAt: new Date(1_763_870_000 * 1000).toISOString(),
    });
    expect(m.text).toBe('');
    expect(m.meta?.event).toBe('contact_shared');
  });

  it("ignores someone else's contact, or one without user_id: a claim is not a proof", () => {
    expect(
      mapTelegramUpdate(update({ contact: { phone_number: '+393471234567', user_id: 43 } }), ctx),
    ).toEqual({ action: 'ignore', reason: 'contact_not_own' });
    expect(mapTelegramUpdate(update({ contact: { phone_number: '+393471234567' } }), ctx)).toEqual({
      action: 'ignore',
      reason: 'contact_not_own',
    });
  });

  it('turns /start into the greeting, publishes nothing', () => {
    expect(mapTelegramUpdate(update({ text: '/start' }), ctx)).toEqual({
      action: 'start',
      chatId: 42,
      languageCode: 'it',
    });
    expect(mapTelegramUpdate(update({ text: '/start@omnigate_bot abc' }), ctx).action).toBe(
      'start',
    );
    expect(mapTelegramUpdate(update({ text: '/starter' }), ctx).action).toBe('publish');
  });

  it('publishes a deep link carrying a link code (/start link_<code>) for the router to check', () => {
    const d = mapTelegramUpdate(update({ text: '/start link_K7QX2M9P' }), ctx);
    expect(d.action).toBe('publish');
    expect(d.action === 'publish' && d.message.text).toBe('/start link_K7QX2M9P');
    expect(mapTelegramUpdate(update({ text: '/start link_' }), ctx).action).toBe('start');
  });

  it('reads a block and an unblock from my_chat_member', () => {
    const member = (status: string) => ({
      update_id: 5,
      my_chat_member: { chat, from: user, date: 1, new_chat_member: { status } },
    });
    expect(mapTelegramUpdate(member('kicked'), ctx)).toEqual({
      action: 'block',
      chatId: 42,
      blocked: true,
    });
    expect(mapTelegramUpdate(member('member'), ctx)).toEqual({
      action: 'block',
      chatId: 42,
      blocked: false,
    });
  });

  it('drops group chats, bots, edits, stickers and other update kinds', () => {
    expect(
      mapTelegramUpdate(update({ text: 'x', chat: { id: -100, type: 'group' } }), ctx),
    ).toEqual({
      action: 'ignore',
      reason: 'not_private',
    });
    expect(
      mapTelegramUpdate(update({ text: 'x', from: { ...user, is_bot: true } }), ctx),
    ).toMatchObject({
      action: 'ignore',
    });
    expect(mapTelegramUpdate({ update_id: 9, edited_message: {} }, ctx)).toEqual({
      action: 'ignore',
      reason: 'edited',
    });
    expect(mapTelegramUpdate(update({ sticker: { file_id: 's' } }), ctx)).toEqual({
      action: 'ignore',
      reason: 'unsupported_content',
    });
    expect(mapTelegramUpdate({ update_id: 10, callback_query: {} }, ctx)).toEqual({
      action: 'ignore',
      reason: 'no_message',
    });
  });

  it('refuses a body that is not an Update with a clear error', () => {
    expect(() => mapTelegramUpdate({ hello: 1 }, ctx)).toThrow(/not a Telegram Update: update_id/);
    expect(() => mapTelegramUpdate('nope', ctx)).toThrow(
      expect.objectContaining({ code: 'TELEGRAM.UPDATE_MALFORMED' }) as Error,
    );
  });
});

describe('contactE164 / file refs', () => {
  it('normalises Telegram contact phones to E.164', () => {
    expect(contactE164('393471234567')).toBe('+393471234567');
    expect(contactE164('+39 347 123 4567')).toBe('+393471234567');
    expect(contactE164('0123')).toBeNull();
    expect(contactE164('abc')).toBeNull();
  });

  it('round-trips a file_id through a ref without any token', () => {
    expect(fileIdOf(fileRef('AgAC-xyz'))).toBe('AgAC-xyz');
    expect(fileIdOf('https://example.com/a.jpg')).toBeNull();
    expect(fileIdOf('telegram:file:')).toBeNull();
  });
});
