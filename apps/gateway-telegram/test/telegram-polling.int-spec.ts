import { pollUntil, streamCount } from '@omnigate/testing';
import { BOT_TOKEN, injectUpdate, keyOf, startTelegramSystem } from './telegram-test-system';
import type { TelegramSystem } from './telegram-test-system';

const CUSTOMER = { id: 7770001, firstName: 'Oliver', languageCode: 'en' };

async function botApi<T>(sys: TelegramSystem, method: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${sys.sandboxUrl}/bot${BOT_TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

describe('gateway-telegram inbound (long polling): getUpdates with a committed offset', () => {
  let sys: TelegramSystem;

  beforeAll(async () => {
    sys = await startTelegramSystem({ TELEGRAM_MODE: 'polling' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('deleted any webhook at start and receives updates by polling', async () => {
    const info = await botApi<{ result: { url: string } }>(sys, 'getWebhookInfo');
    expect(info.result.url).toBe('');
    const res = await injectUpdate(sys, { from: CUSTOMER, text: 'My transfer is stuck' });
    expect(res.delivered).toBe('queued');
    const msg = await sys.waitForInbound(keyOf(res));
    expect(msg).toMatchObject({
      from: { address: String(CUSTOMER.id) },
      text: 'My transfer is stuck',
      meta: { languageCode: 'en' },
    });
  });

  it('after a restart neither loses what arrived meanwhile nor re-reads what was published', async () => {
    const a = await injectUpdate(sys, { from: CUSTOMER, text: 'before the restart' });
    await sys.waitForInbound(keyOf(a));
    await sys.stopGateway();
    // As if the confirmation of `a` never reached Telegram: it offers `a` again. Only the offset
    // committed in NATS KV (sent with the first getUpdates after the restart) skips it.
    await injectUpdate(sys, { from: CUSTOMER, text: 'before the restart', updateId: a.updateId });
    // Written while the gateway was down: Telegram (the sandbox) keeps it.
    const b = await injectUpdate(sys, { from: CUSTOMER, text: 'while it was down' });
    const before = await streamCount(sys.nats.url, 'MSG_IN');
    await sys.restartGateway();
    await sys.waitForInbound(keyOf(b));
    const c = await injectUpdate(sys, { from: CUSTOMER, text: 'after the restart' });
    await sys.waitForInbound(keyOf(c));
    // Exactly two new stream entries: b and c. A re-read of `a` would have been published again
    // (and only JetStream's 2-minute window would have hidden it) — the committed offset prevents it.
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before + 2);
    const published = sys.logs.filter(
      (l) =>
        l.includes('"msg":"inbound published"') && l.includes(`"providerMessageId":"${keyOf(a)}"`),
    );
    expect(published).toHaveLength(1);
    const all = (await sys.inbound()).map((m) => m.text);
    expect(all.filter((t) => t === 'before the restart')).toHaveLength(1);
  });

  it('getUpdates is refused with 409 while a webhook is set (the sandbox speaks the real API)', async () => {
    const other = await botApi<{ ok: boolean; error_code: number }>(sys, 'setWebhook', {
      url: 'http://127.0.0.1:9/elsewhere',
    });
    expect(other.ok).toBe(true);
    const conflict = await botApi<{ ok: boolean; error_code: number; description: string }>(
      sys,
      'getUpdates',
      {},
    );
    expect(conflict).toMatchObject({ ok: false, error_code: 409 });
    expect(conflict.description).toMatch(/webhook is active/);
    await botApi(sys, 'deleteWebhook');
    // The gateway's loop got 409s meanwhile and keeps polling once the webhook is gone.
    const d = await injectUpdate(sys, { from: CUSTOMER, text: 'back to polling' });
    await sys.waitForInbound(keyOf(d));
  });

  it('records a block seen through polling', async () => {
    await injectUpdate(sys, { from: { id: 7770002 }, blocked: true });
    const veto = await pollUntil(() => sys.veto('7770002'), {
      timeoutMs: 10_000,
      what: 'block recorded',
    });
    expect(veto).toMatchObject({ kind: 'blocked' });
  });

  it('answers 401 to a wrong token', async () => {
    const res = await fetch(`${sys.sandboxUrl}/bot123:wrong-token-000000000000000/getMe`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });
});
