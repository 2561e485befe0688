import { randomBytes, randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { KitModule } from '@omnigate/kit';
import {
  AuditLogRepository,
  CustomerDataService,
  DataProtection,
  DbHandle,
  ERASED,
  EmailAttachmentsRepository,
  IdentitiesRepository,
  MessagesRepository,
  RouterStoreModule,
  customers,
  emailAttachments,
} from '@omnigate/store';
import type { DatabaseConfig } from '@omnigate/store';
import { createTestDatabase, dumpDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

const b64 = () => randomBytes(32).toString('base64');

describe('encryption at rest: key rotation, legal hold, audit chain', () => {
  let tdb: TestDatabase;
  const k1 = b64();
  const k2 = b64();
  const indexKey = b64();
  const modules: TestingModule[] = [];

  const open = async (keks: string): Promise<TestingModule> => {
    const config: DatabaseConfig = { ...tdb.config, protection: { keks, indexKey } };
    const mod = await Test.createTestingModule({
      imports: [KitModule, RouterStoreModule.forRoot(config)],
    }).compile();
    await mod.init();
    modules.push(mod);
    return mod;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    for (const m of modules) await m.close();
    await tdb?.cleanup();
  });

  const storeOne = async (
    mod: TestingModule,
    phone: string,
    body: string,
    attachmentIds: string[] = [],
  ) => {
    const { customer } = await mod.get(IdentitiesRepository).link({
      channel: 'sms',
      address: phone,
      coreRef: `core-${randomBytes(4).toString('hex')}`,
      displayName: 'Anna Verdi',
      linkMethod: 'bank_verified_phone',
      assurance: 'possession',
    });
    const r = await mod.get(MessagesRepository).appendInbound({
      customerId: customer.id,
      channel: 'sms',
      address: phone,
      ourAddress: '+390212345678',
      kind: 'text',
      body,
      attachments: attachmentIds.map((id) => ({
        kind: 'document' as const,
        mimeType: 'text/plain',
        size: 1,
        sha256: null,
        ref: `att:${id}`,
      })),
      providerMessageId: `SM${randomBytes(8).toString('hex')}`,
      dedupeKey: `sms:${randomBytes(8).toString('hex')}`,
      clientMsgId: null,
      receivedAt: new Date(),
    });
    return { customerId: customer.id, messageId: r.message.id };
  };

  it('rotates the key-encryption key without touching data: old rows stay readable, keys rewrap', async () => {
    const before = await open(`k1:${k1}`);
    const stored = await storeOne(before, '+393330000001', 'testo riservato uno');
    await before.close();
    modules.pop();

    const rotated = await open(`k2:${k2},k1:${k1}`);
    const messages = rotated.get(MessagesRepository);
    const dumpBefore = await dumpDatabase(tdb.config);
    expect((await messages.get(stored.messageId))!.body).toBe('testo riservato uno');
    // The found-again identity goes through the blind index: same index key, any KEK.
    expect(
      await rotated.get(IdentitiesRepository).findActive('sms', '+393330000001'),
    ).not.toBeNull();
    const rewrapped = await rotated.get(DataProtection).rewrapAll();
    expect(rewrapped).toBe(1);
    rotated.get(DataProtection).clearCache();
    expect((await messages.get(stored.messageId))!.body).toBe('testo riservato uno');
    // Only the wrapped key changed: the message row is byte-identical.
    const msgRow = (d: string) => /messages: (.*)/.exec(d)![1];
    expect(msgRow(await dumpDatabase(tdb.config))).toBe(msgRow(dumpBefore));
    expect(dumpBefore).not.toContain('testo riservato');
    expect(dumpBefore).not.toContain('Anna Verdi');
    expect(dumpBefore).not.toContain('3330000001');
  });

  it('without the old KEK the data cannot be opened (the KEK really protects it)', async () => {
    const only2 = await open(`k9:${b64()}`);
    const stored = await storeOne(await open(`k1:${k1}`), '+393330000002', 'testo due');
    await expect(only2.get(MessagesRepository).get(stored.messageId)).rejects.toThrow(
      /unknown key-encryption key/,
    );
  });

  it('refuses to erase a customer under legal hold, and audits the refusal', async () => {
    const mod = await open(`k1:${k1}`);
    const stored = await storeOne(mod, '+393330000003', 'testo tre');
    await mod
      .get(DbHandle)
      .db.update(customers)
      .set({ legalHoldUntil: new Date(Date.now() + 86_400_000) })
      .where(sql`id = ${stored.customerId}`);
    await expect(
      mod.get(CustomerDataService).erase(stored.customerId, 'dora', 'GDPR art. 17'),
    ).rejects.toMatchObject({
      code: 'ERASURE.LEGAL_HOLD_CONFLICT',
    });
    expect((await mod.get(MessagesRepository).get(stored.messageId))!.body).toBe('testo tre');
    const [last] = await mod.get(AuditLogRepository).recent(1);
    expect(last).toMatchObject({ action: 'customer.erase.refused', subject: stored.customerId });
  });

  it("erasure shreds the keys of the customer's attachments, an older one's mail key too", async () => {
    const mod = await open(`k1:${k1}`);
    const attachments = mod.get(EmailAttachmentsRepository);
    const own = randomUUID();
    const older = randomUUID();
    await attachments.insert({
      id: own,
      content: Buffer.from('estratto conto'),
      mimeType: 'text/plain',
      sha256: 'h',
      filename: 'estratto.txt',
    });
    // Stored before migration 0005: sealed with its mail's key, named in the row.
    const mailKey = `mail:<${randomUUID()}@example.it>` as const;
    const dp = mod.get(DataProtection);
    await mod
      .get(DbHandle)
      .db.insert(emailAttachments)
      .values({
        id: older,
        content: (await dp.sealBytes(
          mailKey,
          'email_attachments.content',
          Buffer.from('vecchio'),
        ))!,
        sealed: true,
        keyOwner: mailKey,
        mimeType: 'text/plain',
        size: 7,
        sha256: 'h',
      });
    const stored = await storeOne(mod, '+393330000004', 'con allegati', [own, older]);
    expect((await attachments.get(older))!.content.toString()).toBe('vecchio');
    await mod.get(CustomerDataService).erase(stored.customerId, 'dora', 'GDPR art. 17');
    expect(await attachments.get(own)).toBeNull();
    expect(await attachments.get(older)).toBeNull();
    expect((await mod.get(MessagesRepository).get(stored.messageId))!.body).toBe(ERASED);
  });

  it('detects a changed audit entry: the hash chain breaks at it', async () => {
    const mod = await open(`k1:${k1}`);
    const audit = mod.get(AuditLogRepository);
    await audit.append({
      actor: 'sam',
      action: 'card.reveal',
      subject: 'ref_a',
      detail: { reason: 'x' },
    });
    const tampered = await audit.append({ actor: 'sam', action: 'card.reveal', subject: 'ref_b' });
    await audit.append({ actor: 'dora', action: 'customer.export', subject: 'c-1' });
    expect(await audit.verifyChain()).toBeNull();
    const db = mod.get(DbHandle).db;
    const change = sql`UPDATE audit_log SET actor = 'mallory' WHERE seq = ${tampered.seq}`;
    // The database refuses the change (migration 0003); the owner can switch that off, and then
    // the chain still shows it.
    await expect(db.execute(change)).rejects.toThrow();
    await db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`);
    await db.execute(change);
    await db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`);
    expect(await audit.verifyChain()).toBe(tampered.seq);
  });
});
