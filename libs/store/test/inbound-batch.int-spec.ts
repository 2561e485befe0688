import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { KitModule } from '@omnigate/kit';
import { IdentitiesRepository, MessagesRepository, RouterStoreModule } from '@omnigate/store';
import type { NewInbound } from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';
import { collectStatements } from '../../../bench/statement-stats';

/**
 * Issue 16: inbound messages that arrive together are stored in one transaction (group commit),
 * each conversation's messages in the order they came, a duplicate stored once.
 */
describe(`inbound group commit on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let tdb: TestDatabase;
  let mod: TestingModule;
  let messages: MessagesRepository;
  let identities: IdentitiesRepository;
  let dir: string;
  let n = 0;

  const statements = async (): Promise<{ total: number; begins: number }> => {
    const mine = (await collectStatements(dir)).get(process.pid);
    if (!mine) throw new Error('no statement counts');
    const begins = mine.statements.byShape.find((s) => s.shape === 'BEGIN')?.count ?? 0;
    return { total: mine.statements.total, begins };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'og-batch-'));
    process.env.BENCH_STATS = dir;
    tdb = await createTestDatabase();
    mod = await Test.createTestingModule({
      imports: [KitModule, RouterStoreModule.forRoot(tdb.config)],
    }).compile();
    await mod.init();
    messages = mod.get(MessagesRepository);
    identities = mod.get(IdentitiesRepository);
  });
  afterAll(async () => {
    delete process.env.BENCH_STATS;
    await mod?.close();
    await tdb?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const contact = async () =>
    (await identities.createContact('sms', `+3934700099${String(++n).padStart(2, '0')}`, null))
      .customer.id;
  const inbound = (customerId: string, body: string, channel = 'sms'): NewInbound => ({
    customerId,
    channel,
    address: '+393470009999',
    ourAddress: '+390212345678',
    kind: 'text',
    body,
    attachments: [],
    providerMessageId: `SM-${body}`,
    dedupeKey: `${channel}:${body}`,
    clientMsgId: null,
    receivedAt: new Date(),
  });

  it('stores messages that arrive together in one transaction, in order per conversation', async () => {
    const [a, b, c] = [await contact(), await contact(), await contact()];
    const before = await statements();
    // Submitted in one turn: one batch. a writes twice (two channels), in this order.
    const stored = await Promise.all([
      messages.appendInbound(inbound(c, 'c1')),
      messages.appendInbound(inbound(a, 'a1')),
      messages.appendInbound(inbound(b, 'b1')),
      messages.appendInbound(inbound(a, 'a2', 'whatsapp')),
    ]);
    const after = await statements();
    expect(after.begins - before.begins).toBe(1);
    // BEGIN, the stored-keys read, upsert and insert per message, COMMIT.
    expect(after.total - before.total).toBe(3 + 2 * 4);
    expect(stored.map((s) => [s.message.body, s.message.seq, s.duplicate])).toEqual([
      ['c1', 1, false],
      ['a1', 1, false],
      ['b1', 1, false],
      ['a2', 2, false],
    ]);
    expect(stored[1].conversation.id).toBe(stored[3].conversation.id);
    expect(stored[3].conversation.channels).toEqual(['sms', 'whatsapp']);
  });

  it('stores a duplicate once, in a batch or against what is stored', async () => {
    const [a, b] = [await contact(), await contact()];
    const first = await messages.appendInbound(inbound(a, 'd1'));
    const stored = await Promise.all([
      messages.appendInbound(inbound(a, 'd1')),
      messages.appendInbound(inbound(b, 'e1')),
      messages.appendInbound(inbound(b, 'e1')),
      messages.appendInbound(inbound(a, 'd2')),
    ]);
    expect(stored.map((s) => [s.message.body, s.message.seq, s.duplicate])).toEqual([
      ['d1', 1, true],
      ['e1', 1, false],
      ['e1', 1, true],
      ['d2', 2, false],
    ]);
    expect(stored[0].message.id).toBe(first.message.id);
    expect(stored[2].message.id).toBe(stored[1].message.id);
  });

  it('a message alone is written alone: BEGIN, upsert, insert, COMMIT', async () => {
    const a = await contact();
    const before = await statements();
    await messages.appendInbound(inbound(a, 'alone'));
    expect((await statements()).total - before.total).toBe(4);
  });
});
