import { eq } from 'drizzle-orm';
import { DbHandle, journeyConversations } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
import { createdFor, inbound, startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

/**
 * The provider's send time on the real path: an InboundMessage with `sentAt` (a Telegram update
 * queued while the bot was down) → message.created carries it on CONV_EVENTS → the router's own
 * journey consumer starts the journey then, not when the message was stored.
 */
describe('router: a customer message timed by the provider’s send time in the journey', () => {
  let sys: RouterSystem;

  beforeAll(async () => {
    sys = await startRouterSystem();
  });
  afterAll(async () => {
    await sys?.close();
  });

  const startedAt = (conversationId: string) =>
    pollUntil(
      async () => {
        const rows = await sys.router.app
          .get(DbHandle)
          .db.select({ startedAt: journeyConversations.startedAt })
          .from(journeyConversations)
          .where(eq(journeyConversations.conversationId, conversationId));
        return rows[0]?.startedAt ?? undefined;
      },
      { what: 'the journey row' },
    );

  it('starts the journey when Telegram says the customer wrote, 30 hours before it arrived', async () => {
    const sentAt = new Date(Date.now() - 30 * 3_600_000).toISOString();
    const text = 'Scritto ieri, arrivato oggi';
    await sys.sendInbound(
      inbound({
        channel: 'telegram',
        providerMessageId: 'bot:99000901:1',
        from: { address: '99000901' },
        to: { address: 'bot' },
        text,
        sentAt,
      }),
    );
    const created = await pollUntil(() => createdFor(sys.events, text)[0], {
      what: 'message.created',
    });
    // On the wire to consoles and the projection: both times, each for what it says.
    expect(created.sentAt).toBe(sentAt);
    expect(Date.parse(created.message.createdAt)).toBeGreaterThan(
      Date.parse(sentAt) + 29 * 3_600_000,
    );
    expect((await startedAt(created.conversation.id)).toISOString()).toBe(sentAt);
  });

  it('falls back to the stored time for a send time after it (a producer that did not bound it)', async () => {
    const text = 'Un orologio avanti di un’ora';
    await sys.sendInbound(
      inbound({
        channel: 'telegram',
        providerMessageId: 'bot:99000902:1',
        from: { address: '99000902' },
        to: { address: 'bot' },
        text,
        sentAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    const created = await pollUntil(() => createdFor(sys.events, text)[0], {
      what: 'message.created',
    });
    expect((await startedAt(created.conversation.id)).toISOString()).toBe(
      new Date(created.message.createdAt).toISOString(),
    );
  });
});
