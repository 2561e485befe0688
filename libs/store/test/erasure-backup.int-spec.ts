import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { eq } from 'drizzle-orm';
import { KitModule } from '@omnigate/kit';
import {
  ConsentsRepository,
  CustomerDataService,
  DataProtection,
  DbHandle,
  ERASED,
  ErasureTargetsRepository,
  IdentitiesRepository,
  IdentityProofsRepository,
  MessagesRepository,
  RouterStoreModule,
  customerOwner,
  dataKeys,
} from '@omnigate/store';
import type { DatabaseConfig } from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

const b64 = () => randomBytes(32).toString('base64');

/**
 * Erasure against backups: crypto-shredding destroys the customer's wrapped data key, but a backup
 * taken before still holds it, wrapped by the KEK of the time. Rotating the KEK (rewrap every live
 * key, then retire the old KEK) is what makes such a backup open nothing.
 */
describe('erasure: a restored backup of data_keys, and what the erasure collects and exports', () => {
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

  const storeOne = async (mod: TestingModule, phone: string, body: string) => {
    const { customer } = await mod.get(IdentitiesRepository).link({
      channel: 'sms',
      address: phone,
      coreRef: `core-${randomBytes(4).toString('hex')}`,
      displayName: 'Giulia Rossi',
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
      attachments: [],
      providerMessageId: `SM${randomBytes(8).toString('hex')}`,
      dedupeKey: `sms:${randomBytes(8).toString('hex')}`,
      clientMsgId: null,
      receivedAt: new Date(),
    });
    return { customerId: customer.id, messageId: r.message.id };
  };

  it('ATTACK: her key row restored from a backup opens nothing once the KEK was rotated and retired', async () => {
    const before = await open(`k1:${k1}`);
    const giulia = await storeOne(before, '+393471234567', 'la mia carta è bloccata');
    const marco = await storeOne(before, '+393339876543', 'vorrei contestare un addebito');
    const db = before.get(DbHandle).db;
    const owner = customerOwner(giulia.customerId);
    // The nightly backup, taken before the erasure.
    const [backup] = await db.select().from(dataKeys).where(eq(dataKeys.owner, owner));
    expect(backup!.kekId).toBe('k1');
    await before.get(CustomerDataService).erase(giulia.customerId, 'dora', 'GDPR art. 17');
    expect((await before.get(MessagesRepository).get(giulia.messageId))!.body).toBe(ERASED);

    // Without a rotation, restoring the row would bring her back: the attack the rotation stops.
    await db.update(dataKeys).set(backup!).where(eq(dataKeys.owner, owner));
    before.get(DataProtection).clearCache();
    expect((await before.get(MessagesRepository).get(giulia.messageId))!.body).toBe(
      'la mia carta è bloccata',
    );
    await before.get(DataProtection).destroyKey(owner);

    // The rotation: k2 first, every live key rewrapped (npm run data:rewrap), then k1 retired.
    const rotating = await open(`k2:${k2},k1:${k1}`);
    expect(await rotating.get(DataProtection).rewrapAll()).toBeGreaterThanOrEqual(1);
    expect(Object.keys(await rotating.get(DataProtection).keysByKek())).toEqual(['k2']);
    const after = await open(`k2:${k2}`);
    // Marco, not erased, reads as before with k2 alone.
    expect((await after.get(MessagesRepository).get(marco.messageId))!.body).toBe(
      'vorrei contestare un addebito',
    );
    // The attacker restores her row from the old backup into the live database...
    await after.get(DbHandle).db.update(dataKeys).set(backup!).where(eq(dataKeys.owner, owner));
    after.get(DataProtection).clearCache();
    // ...and it opens nothing: the KEK that wrapped it is gone.
    await expect(after.get(MessagesRepository).get(giulia.messageId)).rejects.toThrow(
      /unknown key-encryption key k1/,
    );
  });

  it('collects her addresses, ids and card references for the bus sweep; exports consents and proofs', async () => {
    const mod = await open(`k2:${k2}`);
    const ref = 'ref_abcdefghijklmnopabcd';
    const giulia = await storeOne(mod, '+393470000001', `la mia carta [card visa ****1111 ${ref}]`);
    await mod.get(ConsentsRepository).record([
      {
        customerId: giulia.customerId,
        channel: 'sms',
        purpose: 'marketing',
        granted: false,
        source: 'keyword',
        updatedBy: giulia.messageId,
        at: new Date(),
      },
    ]);
    await mod.get(IdentityProofsRepository).issueLink({
      customerId: giulia.customerId,
      codeHash: `h-${randomBytes(8).toString('hex')}`,
      expiresAt: new Date(Date.now() + 600_000),
    });
    const bundle = await mod.get(CustomerDataService).export(giulia.customerId, 'dora');
    expect(bundle.consents).toEqual([
      expect.objectContaining({ channel: 'sms', purpose: 'marketing', granted: false }),
    ]);
    expect(bundle.identityProofs).toEqual([
      expect.objectContaining({ kind: 'link', usedAt: null, attempts: 0 }),
    ]);
    expect(JSON.stringify(bundle.identityProofs)).not.toContain('h-');

    const targets = await mod.get(ErasureTargetsRepository).collect(giulia.customerId);
    expect(targets).toMatchObject({
      addresses: [{ channel: 'sms', address: '+393470000001' }],
      names: ['Giulia Rossi'],
      messageIds: [giulia.messageId],
      cardRefs: [ref],
    });
    expect(targets.conversationIds).toHaveLength(1);
  });
});
