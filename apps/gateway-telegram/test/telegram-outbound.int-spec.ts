import { pollUntil } from '@omnigate/testing';
import {
  injectUpdate,
  sandboxControl,
  sandboxSent,
  startTelegramSystem,
} from './telegram-test-system';
import type { TelegramSystem } from './telegram-test-system';

describe('gateway-telegram outbound: msg.out.v1.telegram → telegraf → sandbox Bot API', () => {
  let sys: TelegramSystem;

  beforeAll(async () => {
    sys = await startTelegramSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('sends a text through telegraf and reports sent with the Telegram message_id', async () => {
    const msg = await sys.publishOutbound('6660001', 'Buongiorno, verifico subito.');
    const sent = await sys.waitForStatus(msg.messageId, 'sent');
    const [wire] = await sandboxSent(sys, '6660001');
    expect(wire).toMatchObject({ method: 'sendMessage', text: 'Buongiorno, verifico subito.' });
    expect(sent).toMatchObject({ channel: 'telegram', providerMessageId: String(wire!.messageId) });
  });

  it('sends media by file_id or URL with the text as caption (sendPhoto, sendDocument)', async () => {
    const msg = await sys.publishOutbound('6660002', 'Ecco il modulo', {
      attachments: [
        {
          kind: 'image',
          mimeType: 'image/jpeg',
          size: 0,
          sha256: null,
          ref: 'telegram:file:AgACphoto123',
        },
        {
          kind: 'document',
          mimeType: 'application/pdf',
          size: 0,
          sha256: null,
          ref: 'https://files.example.com/modulo.pdf',
          filename: 'modulo.pdf',
        },
      ],
    });
    await sys.waitForStatus(msg.messageId, 'sent');
    expect(await sandboxSent(sys, '6660002')).toEqual([
      expect.objectContaining({
        method: 'sendPhoto',
        media: 'AgACphoto123',
        caption: 'Ecco il modulo',
      }),
      expect.objectContaining({
        method: 'sendDocument',
        media: 'https://files.example.com/modulo.pdf',
      }),
    ]);
  });

  it('a customer who blocked the bot: failed at once with the reason, recorded, never retried or sent to again', async () => {
    expect(
      (await sandboxControl(sys, 'faults', { chatId: '6660003', fault: 'blocked' })).status,
    ).toBe(204);
    const msg = await sys.publishOutbound('6660003', 'Primo tentativo');
    const failed = await sys.waitForStatus(msg.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'TELEGRAM.BLOCKED',
      reason: expect.stringMatching(/blocked our Telegram bot/) as unknown,
    });
    expect(await sys.veto('6660003')).toMatchObject({ kind: 'blocked' });
    // The next message is not even attempted: the gateway knows the block.
    await sandboxControl(sys, 'faults', { chatId: '6660003', fault: 'none' });
    const next = await sys.publishOutbound('6660003', 'Secondo tentativo');
    expect((await sys.waitForStatus(next.messageId, 'failed')).error?.code).toBe(
      'TELEGRAM.BLOCKED',
    );
    expect(await sandboxSent(sys, '6660003')).toEqual([]);
    // One failed status each, nothing else: no retry happened.
    expect((await sys.statuses(msg.messageId)).map((s) => s.state)).toEqual(['failed']);
    // The customer unblocks the bot (Telegram's my_chat_member) and can be written to again.
    await sandboxControl(sys, 'updates', { from: { id: 6660003 }, blocked: false });
    const after = await sys.publishOutbound('6660003', 'Di nuovo qui');
    await sys.waitForStatus(after.messageId, 'sent');
  });

  it('a customer who sent /stop, or turned Telegram off in the app: vetoed with the reason', async () => {
    await injectUpdate(sys, { from: { id: 6660007 }, text: '/stop' });
    await pollUntil(() => sys.veto('6660007'), { what: 'the /stop in the opt-out list' });
    const afterStop = await sys.publishOutbound('6660007', 'offerta');
    expect((await sys.waitForStatus(afterStop.messageId, 'failed')).error).toEqual({
      code: 'TELEGRAM.OPTED_OUT',
      reason: 'Not sent: the customer replied STOP on this channel and has not opted back in since',
    });
    // The router's consent event (the app's settings) for another customer.
    await sys.publishConsent(['6660008'], [{ purpose: 'service', granted: false }], 'app');
    await pollUntil(() => sys.veto('6660008'), { what: 'the consent event in the opt-out list' });
    const afterApp = await sys.publishOutbound('6660008', 'ciao');
    expect((await sys.waitForStatus(afterApp.messageId, 'failed')).error?.code).toBe(
      'TELEGRAM.OPTED_OUT',
    );
    expect(await sandboxSent(sys, '6660007')).toEqual([]);
    expect(await sandboxSent(sys, '6660008')).toEqual([]);
  });

  it('does not send a redelivered message twice, even from a fresh instance (ledger in KV)', async () => {
    const msg = await sys.publishOutbound('6660009', 'una volta sola');
    const sent = await sys.waitForStatus(msg.messageId, 'sent');
    await sys.restartGateway();
    expect(await sys.redeliver(msg)).toBe('already_sent');
    expect((await sandboxSent(sys, '6660009')).map((m) => String(m.messageId))).toEqual([
      sent.providerMessageId,
    ]);
  });

  it('chat not found: failed with the reason, no retry', async () => {
    await sandboxControl(sys, 'faults', { chatId: '6660004', fault: 'chat_not_found' });
    const msg = await sys.publishOutbound('6660004', 'ciao');
    const failed = await sys.waitForStatus(msg.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'TELEGRAM.CHAT_NOT_FOUND',
      reason: expect.stringMatching(/does not know this chat/) as unknown,
    });
    expect((await sys.statuses(msg.messageId)).map((s) => s.state)).toEqual(['failed']);
    expect(await sys.veto('6660004')).toBeNull();
  });

  it('429 with retry_after: retried after that delay, then sent exactly once', async () => {
    await sandboxControl(sys, 'faults', {
      chatId: '6660005',
      fault: 'rate_limited',
      retryAfter: 1,
      count: 2,
    });
    const msg = await sys.publishOutbound('6660005', 'dopo la pausa');
    await sys.waitForStatus(msg.messageId, 'sent');
    const sent = await sandboxSent(sys, '6660005');
    expect(sent).toHaveLength(1);
    expect((await sys.statuses(msg.messageId)).map((s) => s.state)).toEqual(['sent']);
    // The gateway naked with Telegram's delay (1000 ms), not its own backoff (150 ms).
    const naks = sys.logs.filter(
      (l) => l.includes('handler failed, will retry') && l.includes('TELEGRAM.RATE_LIMITED'),
    );
    expect(naks).toHaveLength(2);
    for (const l of naks) expect(l).toContain('"delayMs":1000');
  });

  it('never logs the text or the chat id of what it sends', async () => {
    const msg = await sys.publishOutbound('6660006', 'testo riservato 12345');
    await sys.waitForStatus(msg.messageId, 'sent');
    await pollUntil(async () => (await sandboxSent(sys, '6660006')).length === 1, {
      timeoutMs: 5000,
      what: 'send',
    });
    const gatewayLines = sys.logs.filter((l) => l.includes('gateway-telegram'));
    expect(gatewayLines.some((l) => l.includes(msg.messageId))).toBe(true);
    expect(gatewayLines.some((l) => l.includes('testo riservato'))).toBe(false);
    expect(gatewayLines.some((l) => l.includes('6660006'))).toBe(false);
  });
});
