import { HpkeOpener, sealedCardAad } from '@omnigate/crypto';
import { containsPan, streamCount } from '@omnigate/testing';
import {
  BOT_ID,
  BOT_TOKEN,
  WEBHOOK_SECRET,
  injectUpdate,
  keyOf,
  postUpdate,
  sandboxSent,
  startTelegramSystem,
} from './telegram-test-system';
import type { TelegramSystem } from './telegram-test-system';

const GIULIA = { id: 5550001, firstName: 'Giulia', languageCode: 'it' };

describe('gateway-telegram inbound (webhook): sandbox Bot API → msg.in.v1.telegram', () => {
  let sys: TelegramSystem;

  beforeAll(async () => {
    sys = await startTelegramSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('registered its webhook with the secret at start (getWebhookInfo through the Bot API)', async () => {
    const res = await fetch(`${sys.sandboxUrl}/bot${BOT_TOKEN}/getWebhookInfo`);
    const info = (await res.json()) as { ok: boolean; result: { url: string } };
    expect(info).toMatchObject({
      ok: true,
      result: { url: `${sys.gatewayUrl}/webhooks/telegram` },
    });
  });

  it('publishes a text with the user id as address and the card number redacted, after the ack', async () => {
    const res = await injectUpdate(sys, {
      from: GIULIA,
      text: 'La mia carta 4111 1111 1111 1111 è bloccata',
    });
    expect(res).toMatchObject({ delivered: 'webhook', status: 200 });
    // The webhook answered 200 only after the publish was acknowledged: it is on the stream now.
    const msg = (await sys.inbound()).find((m) => m.providerMessageId === keyOf(res));
    expect(msg).toMatchObject({
      channel: 'telegram',
      from: { address: String(GIULIA.id), displayName: 'Giulia' },
      to: { address: BOT_ID },
      kind: 'text',
      auth: { method: 'none', level: 'none' },
      meta: { chatId: String(GIULIA.id), languageCode: 'it' },
    });
    // Telegram's message.date (whole seconds, just now) as the customer's send time.
    expect(msg!.sentAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(Math.abs(Date.parse(msg!.sentAt!) - Date.parse(msg!.occurredAt))).toBeLessThan(60_000);
    expect(containsPan(msg!.text, '4111 1111 1111 1111')).toBe(false);
    expect(msg!.text).toMatch(/^La mia carta \[card visa \*\*\*\*1111 ref_[a-p]{20}\] è bloccata$/);
    expect(msg!.redactions).toHaveLength(1);
    // The number itself went to the vault, sealed under the reference, before the message.
    const ref = msg!.redactions[0]!.token;
    const sealed = (await sys.sealedCards()).find((c) => c.ref === ref);
    expect(sealed).toMatchObject({ channel: 'telegram', brand: 'visa', last4: '1111' });
    const vault = HpkeOpener.fromConfig(sys.vault.privateKey);
    expect(await vault.openText(sealed!.box, sealedCardAad(ref))).toBe('4111111111111111');
    expect(containsPan(JSON.stringify(sealed), '4111111111111111')).toBe(false);
  });

  it('refuses a missing or wrong secret token with 403 and publishes nothing', async () => {
    const before = await streamCount(sys.nats.url, 'MSG_IN');
    const update = {
      update_id: 777_001,
      message: {
        message_id: 1,
        date: 1_763_870_000,
        from: { id: 42, is_bot: false, first_name: 'Eve' },
        chat: { id: 42, type: 'private' },
        text: 'forged',
      },
    };
    const missing = await postUpdate(sys, update, null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 'TELEGRAM.SIGNATURE_MISSING' } });
    const wrong = await postUpdate(sys, update, WEBHOOK_SECRET + 'x');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: { code: 'TELEGRAM.SIGNATURE_INVALID' } });
    const empty = await postUpdate(sys, update, '');
    expect(empty.status).toBe(403);
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before);
    // With the right secret the same update goes through: the refusals were about the secret.
    expect((await postUpdate(sys, update, WEBHOOK_SECRET)).status).toBe(200);
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before + 1);
  });

  it('ATTACK: update ids restarted (same update_id, another message): both are delivered', async () => {
    const before = await injectUpdate(sys, { from: GIULIA, text: 'prima della pausa' });
    // After a week without updates Telegram starts update ids again: a new message, an old id.
    const after = await injectUpdate(sys, {
      from: GIULIA,
      text: 'dopo la pausa',
      updateId: before.updateId,
    });
    expect(after.status).toBe(200);
    const keys = [keyOf(before), keyOf(after)];
    const texts = (await sys.inbound())
      .filter((m) => keys.includes(m.providerMessageId))
      .map((m) => m.text);
    expect(texts.sort()).toEqual(['dopo la pausa', 'prima della pausa']);
  });

  it('ATTACK: a redelivered update (same bot, chat and message id) yields one message on MSG_IN', async () => {
    const first = await injectUpdate(sys, { from: GIULIA, text: 'ciao due volte' });
    // Telegram sends the same update again when our answer did not reach it...
    expect((await postUpdate(sys, first.update, WEBHOOK_SECRET)).status).toBe(200);
    // ...and the same message under another update_id is still the same message.
    const renumbered = { ...first.update, update_id: first.updateId + 100_000 };
    expect((await postUpdate(sys, renumbered, WEBHOOK_SECRET)).status).toBe(200);
    const same = (await sys.inbound()).filter((m) => m.providerMessageId === keyOf(first));
    expect(same).toHaveLength(1);
  });

  it('normalises a photo with caption, a document and a voice note, media by reference', async () => {
    const photo = await injectUpdate(sys, { from: GIULIA, photo: true, caption: 'lo scontrino' });
    const doc = await injectUpdate(sys, {
      from: GIULIA,
      document: { fileName: 'estratto.pdf', mimeType: 'application/pdf' },
      caption: 'estratto conto',
    });
    const voice = await injectUpdate(sys, { from: GIULIA, voice: true });
    const p = await sys.waitForInbound(keyOf(photo));
    expect(p).toMatchObject({ text: 'lo scontrino', meta: { caption: 'true' } });
    expect(p.attachments).toEqual([
      expect.objectContaining({ kind: 'image', mimeType: 'image/jpeg', sha256: null }),
    ]);
    const d = await sys.waitForInbound(keyOf(doc));
    expect(d.text).toBe('estratto conto');
    expect(d.attachments).toEqual([
      expect.objectContaining({
        kind: 'document',
        mimeType: 'application/pdf',
        filename: 'estratto.pdf',
      }),
    ]);
    const v = await sys.waitForInbound(keyOf(voice));
    expect(v.text).toBe('');
    expect(v.attachments).toEqual([
      expect.objectContaining({ kind: 'audio', mimeType: 'audio/ogg' }),
    ]);

    // The refs hold the file_id, never the token, and resolve through getFile to the bytes.
    for (const a of [...p.attachments, ...d.attachments, ...v.attachments]) {
      expect(a.ref).toMatch(/^telegram:file:/);
      expect(a.ref).not.toContain(BOT_TOKEN.split(':')[1]!);
      const fileId = a.ref.slice('telegram:file:'.length);
      const file = (await (
        await fetch(
          `${sys.sandboxUrl}/bot${BOT_TOKEN}/getFile?file_id=${encodeURIComponent(fileId)}`,
        )
      ).json()) as { ok: boolean; result: { file_path: string } };
      expect(file.ok).toBe(true);
      const bytes = await fetch(`${sys.sandboxUrl}/file/bot${BOT_TOKEN}/${file.result.file_path}`);
      expect(bytes.status).toBe(200);
      expect((await bytes.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    // The photo's largest size was taken (the sandbox sends a thumbnail first).
    expect(p.attachments[0]!.ref).not.toMatch(/_s$/);
  });

  it('marks a shared own contact as a provider-verified phone; someone else’s contact proves nothing', async () => {
    const own = await injectUpdate(sys, {
      from: { id: 5550002, firstName: 'Marco' },
      contact: { phoneNumber: '393489876543' },
    });
    const m = await sys.waitForInbound(keyOf(own));
    expect(m.auth).toMatchObject({
      method: 'provider_verified_phone',
      level: 'possession',
      subject: '+393489876543',
    });
    expect(m.meta).toMatchObject({ event: 'contact_shared' });
    // The phone travels only as the proof's subject, never in the text.
    expect(m.text).toBe('');
    // The bot thanked the customer and removed the keyboard.
    const thanks = (await sandboxSent(sys, '5550002')).at(-1);
    expect(thanks).toMatchObject({ method: 'sendMessage', replyMarkup: { remove_keyboard: true } });

    const before = await streamCount(sys.nats.url, 'MSG_IN');
    const other = await injectUpdate(sys, {
      from: { id: 5550003, firstName: 'Eve' },
      contact: { phoneNumber: '+393471234567', userId: 5550001 },
    });
    expect(other.status).toBe(200);
    const noUser = await injectUpdate(sys, {
      from: { id: 5550003, firstName: 'Eve' },
      contact: { phoneNumber: '+393471234567', userId: null },
    });
    expect(noUser.status).toBe(200);
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before);
  });

  it('answers /start with the contact button (it + en) and publishes nothing', async () => {
    const before = await streamCount(sys.nats.url, 'MSG_IN');
    const res = await injectUpdate(sys, {
      from: { id: 5550004, firstName: 'Chiara' },
      text: '/start',
    });
    expect(res.status).toBe(200);
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before);
    const [prompt] = await sandboxSent(sys, '5550004');
    expect(prompt!.text).toMatch(/condividi il tuo numero/i);
    expect(prompt!.text).toMatch(/share your phone number/i);
    expect(prompt!.replyMarkup).toMatchObject({
      keyboard: [[{ request_contact: true }]],
      one_time_keyboard: true,
    });
  });

  it('records a block from my_chat_member and clears it when the customer unblocks', async () => {
    await injectUpdate(sys, { from: { id: 5550005 }, blocked: true });
    expect(await sys.veto('5550005')).toMatchObject({ kind: 'blocked' });
    await injectUpdate(sys, { from: { id: 5550005 }, blocked: false });
    expect(await sys.veto('5550005')).toBeNull();
  });
});
