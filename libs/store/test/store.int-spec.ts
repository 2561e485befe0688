import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { KitModule } from '@omnigate/kit';
import {
  ConversationsRepository,
  DbHandle,
  IdentitiesRepository,
  MessagesRepository,
  RouterStoreModule,
  toMessageView,
} from '@omnigate/store';
import type { NewInbound } from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

describe(`libs/store on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let tdb: TestDatabase;
  let mod: TestingModule;
  let messages: MessagesRepository;
  let identities: IdentitiesRepository;
  let conversations: ConversationsRepository;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    mod = await Test.createTestingModule({
      imports: [KitModule, RouterStoreModule.forRoot(tdb.config)],
    }).compile();
    await mod.init();
    messages = mod.get(MessagesRepository);
    identities = mod.get(IdentitiesRepository);
    conversations = mod.get(ConversationsRepository);
  });
  afterAll(async () => {
    await mod?.close();
    await tdb?.cleanup();
  });

  const inbound = (customerId: string, over: Partial<NewInbound> = {}): NewInbound => ({
    customerId,
    channel: 'sms',
    address: '+393471234567',
    ourAddress: '+390212345678',
    kind: 'text',
    body: 'ciao',
    attachments: [],
    providerMessageId: `SM${Math.random()}`,
    dedupeKey: `sms:${Math.random()}`,
    clientMsgId: null,
    receivedAt: new Date(),
    ...over,
  });

  it('runs on the expected engine', () => {
    expect(mod.get(DbHandle).kind).toBe(tdb.kind);
  });

  it('keeps one open conversation per customer across channels, numbering messages 1, 2, 3', async () => {
    const { customer } = await identities.link({
      channel: 'sms',
      address: '+393471234567',
      coreRef: 'cb-giulia',
      displayName: 'Giulia Rossi',
      linkMethod: 'bank_verified_phone',
      assurance: 'possession',
    });
    const a = await messages.appendInbound(inbound(customer.id));
    const b = await messages.appendInbound(
      inbound(customer.id, { channel: 'inapp', address: 'app-giulia', clientMsgId: 'c1' }),
    );
    expect(a.conversationCreated).toBe(true);
    expect(b.conversation.id).toBe(a.conversation.id);
    expect([a.message.seq, b.message.seq]).toEqual([1, 2]);
    expect(b.conversation.channels).toEqual(['sms', 'inapp']);
    expect(b.conversation.lastChannel).toBe('inapp');
    const out = await messages.appendOutbound({
      conversationId: a.conversation.id,
      channel: 'sms',
      address: '+393471234567',
      body: 'risposta',
      authorKind: 'agent',
      authorId: 'alice',
      dedupeKey: 'reply:k1',
    });
    expect(out.message.seq).toBe(3);
    expect((await messages.listAfter(a.conversation.id, 1)).map((m) => m.seq)).toEqual([2, 3]);
    expect(toMessageView(b.message)).toMatchObject({
      channel: 'inapp',
      seq: 2,
      clientMsgId: 'c1',
      status: null,
    });
  });

  it('keeps where the customer wrote last when an older message is stored after a newer one', async () => {
    const { customer } = await identities.createContact('sms', '+393335556667', null);
    const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, s));
    await messages.appendInbound(
      inbound(customer.id, { channel: 'inapp', address: 'app-x', body: 'newer', receivedAt: t(5) }),
    );
    const late = await messages.appendInbound(
      inbound(customer.id, { address: '+393335556667', body: 'older', receivedAt: t(1) }),
    );
    expect(late.conversation).toMatchObject({
      lastChannel: 'inapp',
      lastAddress: 'app-x',
      lastMessagePreview: 'newer',
    });
    expect(late.conversation.lastMessageAt.toISOString()).toBe(t(5).toISOString());
    expect([...late.conversation.channels].sort()).toEqual(['inapp', 'sms']);
    const next = await messages.appendInbound(
      inbound(customer.id, { address: '+393335556667', body: 'newest', receivedAt: t(9) }),
    );
    expect(next.conversation).toMatchObject({ lastChannel: 'sms', lastMessagePreview: 'newest' });
  });

  it('stores a message once per dedupe key, also when two writers race', async () => {
    const { customer } = await identities.createContact('sms', '+393331112223', null);
    const input = inbound(customer.id, { dedupeKey: 'sms:SMrace', address: '+393331112223' });
    const results = await Promise.all([
      messages.appendInbound(input),
      messages.appendInbound(input),
      messages.appendInbound(input),
    ]);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await messages.listAfter(results[0].conversation.id, 0)).toHaveLength(1);
  });

  it('never merges an unverified contact into a customer', async () => {
    const contact = await identities.createContact('sms', '+393339998887', 'Giulia Rossi');
    expect(contact.customer.kind).toBe('contact');
    expect(contact.identity.status).toBe('unverified');
    const again = await identities.findActive('sms', '+393339998887');
    expect(again?.customer.id).toBe(contact.customer.id);
    expect(contact.customer.coreRef).toBeNull();
  });

  it('moves delivery states forward only and keeps the history', async () => {
    const { customer } = await identities.createContact('sms', '+393334445556', null);
    const conv = (await messages.appendInbound(inbound(customer.id, { address: '+393334445556' })))
      .conversation;
    const out = await messages.appendOutbound({
      conversationId: conv.id,
      channel: 'sms',
      address: '+393334445556',
      body: 'x',
      authorKind: 'agent',
      authorId: 'alice',
      dedupeKey: 'reply:k2',
    });
    const id = out.message.id;
    const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s));
    expect((await messages.applyStatus(id, 'queued', null, t(1), 'SM1'))?.status).toBe('queued');
    expect((await messages.applyStatus(id, 'delivered', null, t(3)))?.status).toBe('delivered');
    expect(await messages.applyStatus(id, 'sent', null, t(2))).toBeNull();
    expect(await messages.applyStatus(id, 'delivered', null, t(3))).toBeNull();
    const row = await messages.get(id);
    expect(row).toMatchObject({ status: 'delivered', providerMessageId: 'SM1' });
    expect((await messages.statusHistory([id])).map((h) => h.state)).toEqual([
      'queued',
      'sent',
      'delivered',
    ]);
    expect(
      await messages.applyStatus('00000000-0000-4000-8000-000000000000', 'sent', null, t(4)),
    ).toBeNull();
  });

  it('lists conversations newest first with their customer', async () => {
    const list = await conversations.list(10);
    expect(list.length).toBeGreaterThanOrEqual(3);
    const times = list.map((c) => c.conversation.lastMessageAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });
});
