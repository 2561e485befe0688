import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { eq } from 'drizzle-orm';
import { KitModule } from '@omnigate/kit';
import {
  ConsentsRepository,
  DbHandle,
  IdentitiesRepository,
  LegalHoldsRepository,
  MessagesRepository,
  RetentionRepository,
  RouterStoreModule,
  channelIdentities,
  conversations,
  customers,
  messageStatusEvents,
  messages,
  tickets,
} from '@omnigate/store';
import type { NewInbound } from '@omnigate/store';
import { createTestDatabase, pollUntil } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';
import { RouterEnv } from '../src/config/router.config';
import { RetentionService } from '../src/retention/retention.service';

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY);

describe(`retention purge on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let tdb: TestDatabase;
  let mod: TestingModule;
  let h: DbHandle;
  let identities: IdentitiesRepository;
  let msgs: MessagesRepository;
  let purge: RetentionService;
  let n = 0;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    mod = await Test.createTestingModule({
      imports: [KitModule, RouterStoreModule.forRoot(tdb.config)],
    }).compile();
    await mod.init();
    h = mod.get(DbHandle);
    identities = mod.get(IdentitiesRepository);
    msgs = mod.get(MessagesRepository);
    // Batches of 2: every kind below needs several batches, so the loop is exercised.
    const config = RouterEnv.parse({
      RETENTION_BATCH_SIZE: '2',
      RETENTION_PURGE_INTERVAL_MS: '0',
    });
    purge = new RetentionService(mod.get(RetentionRepository), config);
  });
  afterAll(async () => {
    await mod?.close();
    await tdb?.cleanup();
  });

  const inbound = (customerId: string, address: string): NewInbound => ({
    customerId,
    channel: 'sms',
    address,
    ourAddress: '+390212345678',
    kind: 'text',
    body: 'ciao',
    attachments: [],
    providerMessageId: `SM${++n}`,
    dedupeKey: `sms:SM${n}`,
    clientMsgId: null,
    receivedAt: new Date(),
  });

  /** A customer with a conversation of `count` messages (each with a status event), closed `closedDaysAgo` ago. */
  async function conversationClosed(closedDaysAgo: number | null, count = 3) {
    const address = `+3934700${String(++n).padStart(5, '0')}`;
    const { customer } = await identities.link({
      channel: 'sms',
      address,
      coreRef: `cb-${n}`,
      displayName: null,
      linkMethod: 'bank_verified_phone',
      assurance: 'possession',
    });
    let conversationId = '';
    for (let i = 0; i < count; i++) {
      const r = await msgs.appendInbound(inbound(customer.id, address));
      conversationId = r.conversation.id;
      await h.db.insert(messageStatusEvents).values({
        messageId: r.message.id,
        state: 'delivered',
        occurredAt: new Date(),
        recordedAt: new Date(),
      });
    }
    if (closedDaysAgo !== null) {
      await h.db
        .update(conversations)
        .set({ status: 'closed', closedAt: daysAgo(closedDaysAgo) })
        .where(eq(conversations.id, conversationId));
    }
    return { customerId: customer.id, conversationId };
  }

  const messageCount = async (conversationId: string) =>
    (await h.db.select().from(messages).where(eq(messages.conversationId, conversationId))).length;
  const conversationExists = async (id: string) =>
    (await h.db.select().from(conversations).where(eq(conversations.id, id))).length === 1;
  const customerExists = async (id: string) =>
    (await h.db.select().from(customers).where(eq(customers.id, id))).length === 1;

  it('purges old rows of every kind, keeps young ones and what the bank must keep', async () => {
    const old = await conversationClosed(800);
    const old2 = await conversationClosed(731, 2);
    const young = await conversationClosed(10);
    const open = await conversationClosed(null);
    // AML: a conversation with a ticket (fraud alert, dispute) is kept 10 years.
    const ticketed = await conversationClosed(800);
    await h.db.insert(tickets).values({
      customerId: ticketed.customerId,
      conversationId: ticketed.conversationId,
      subject: 'FRAUD_ALERT',
      status: 'closed',
    });
    const veryOldTicketed = await conversationClosed(3700, 1);
    await h.db.insert(tickets).values({
      customerId: veryOldTicketed.customerId,
      conversationId: veryOldTicketed.conversationId,
      subject: 'DISPUTE',
      status: 'closed',
    });
    // Legal holds: on a conversation (legal_holds row) and on a customer (legal_hold_until).
    const held = await conversationClosed(800);
    const holdId = await mod.get(LegalHoldsRepository).place({
      conversationId: held.conversationId,
      reason: 'AML',
      createdBy: 'compliance-1',
    });
    const heldCustomer = await conversationClosed(800);
    await h.db
      .update(customers)
      .set({ legalHoldUntil: new Date(Date.now() + 365 * DAY) })
      .where(eq(customers.id, heldCustomer.customerId));

    // Status history: old events of a still-open conversation go, the message stays.
    await h.db
      .update(messageStatusEvents)
      .set({ recordedAt: daysAgo(100) })
      .where(eq(messageStatusEvents.state, 'delivered'));
    const [openMsg] = await h.db
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.conversationId, open.conversationId))
      .limit(1);
    await h.db.insert(messageStatusEvents).values({
      messageId: openMsg!.id,
      state: 'read',
      occurredAt: new Date(),
      recordedAt: new Date(),
    });

    // Unverified contacts: old without a conversation (goes), young (stays), old with a conversation (stays).
    const staleContact = (await identities.createContact('telegram', `tg-${++n}`, null)).customer;
    await mod.get(ConsentsRepository).record([
      {
        customerId: staleContact.id,
        channel: 'telegram',
        purpose: 'marketing',
        granted: false,
        source: 'keyword',
        updatedBy: null,
        at: new Date(),
      },
    ]);
    const freshContact = (await identities.createContact('telegram', `tg-${++n}`, null)).customer;
    const talkingContact = (await identities.createContact('sms', `+39333${++n}`, null)).customer;
    await msgs.appendInbound(inbound(talkingContact.id, `+39333${n}`));
    for (const id of [staleContact.id, talkingContact.id]) {
      await h.db
        .update(customers)
        .set({ createdAt: daysAgo(40) })
        .where(eq(customers.id, id));
    }

    const first = await purge.purgeOnce();

    expect(first).toEqual({
      // Every event written above was set 100 days old (3+2+3+3+3+1+3+3); today's read event stays.
      status_events: 21,
      closed_conversation_messages: 3 + 2 + 1,
      // The ticketed conversation keeps its header: the ticket refers to it.
      empty_conversations: 2,
      unverified_contacts: 1,
    });
    for (const c of [old, old2, veryOldTicketed]) {
      expect(await messageCount(c.conversationId)).toBe(0);
      expect(await conversationExists(c.conversationId)).toBe(veryOldTicketed === c);
    }
    for (const c of [young, open, ticketed, held, heldCustomer]) {
      expect(await messageCount(c.conversationId)).toBeGreaterThan(0);
      expect(await conversationExists(c.conversationId)).toBe(true);
    }
    expect(
      await h.db
        .select()
        .from(messageStatusEvents)
        .where(eq(messageStatusEvents.messageId, openMsg!.id)),
    ).toEqual([expect.objectContaining({ state: 'read' })]);
    expect(await customerExists(staleContact.id)).toBe(false);
    expect(
      await h.db
        .select()
        .from(channelIdentities)
        .where(eq(channelIdentities.customerId, staleContact.id)),
    ).toEqual([]);
    expect(await mod.get(ConsentsRepository).listForCustomer(staleContact.id)).toEqual([]);
    expect(await customerExists(freshContact.id)).toBe(true);
    expect(await customerExists(talkingContact.id)).toBe(true);

    // Idempotent: a second run finds nothing.
    expect(await purge.purgeOnce()).toEqual({
      status_events: 0,
      closed_conversation_messages: 0,
      empty_conversations: 0,
      unverified_contacts: 0,
    });

    // Released, the hold no longer protects: the next run applies the normal retention.
    await mod.get(LegalHoldsRepository).release(holdId);
    const afterRelease = await purge.purgeOnce();
    expect(afterRelease.closed_conversation_messages).toBe(3);
    expect(await messageCount(held.conversationId)).toBe(0);
    // The conversation header stays: the (released) hold row still refers to it, as the audit trail.
    expect(await conversationExists(held.conversationId)).toBe(true);
    expect(await messageCount(heldCustomer.conversationId)).toBe(3);
  });

  it('runs by itself once after the start delay, then stops with the app', async () => {
    const old = await conversationClosed(900, 2);
    const scheduled = new RetentionService(
      mod.get(RetentionRepository),
      RouterEnv.parse({
        RETENTION_PURGE_START_DELAY_MS: '10',
        RETENTION_PURGE_INTERVAL_MS: '3600000',
      }),
    );
    scheduled.onApplicationBootstrap();
    try {
      // Messages go first, the emptied conversation after them in the same run.
      await pollUntil(
        async () => ((await conversationExists(old.conversationId)) ? undefined : true),
        { what: 'the scheduled purge' },
      );
      expect(await messageCount(old.conversationId)).toBe(0);
    } finally {
      await scheduled.onApplicationShutdown();
    }
  });
});
