import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { KitModule } from '@omnigate/kit';
import { ConsentsRepository, IdentitiesRepository, RouterStoreModule } from '@omnigate/store';
import type { ConsentChange } from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

describe(`ConsentsRepository on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let tdb: TestDatabase;
  let mod: TestingModule;
  let consents: ConsentsRepository;
  let customerId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    mod = await Test.createTestingModule({
      imports: [KitModule, RouterStoreModule.forRoot(tdb.config)],
    }).compile();
    await mod.init();
    consents = mod.get(ConsentsRepository);
    customerId = (await mod.get(IdentitiesRepository).createContact('telegram', 'tg-1', null))
      .customer.id;
  });
  afterAll(async () => {
    await mod?.close();
    await tdb?.cleanup();
  });

  const change = (
    granted: boolean,
    at: Date,
    over: Partial<ConsentChange> = {},
  ): ConsentChange => ({
    customerId,
    channel: 'telegram',
    purpose: 'service',
    granted,
    source: 'keyword',
    updatedBy: 'message:m1',
    at,
    ...over,
  });

  it('keeps one row per customer, channel and purpose; the newest decision wins', async () => {
    expect(await consents.get(customerId, 'telegram', 'service')).toBeNull();
    const t1 = new Date('2026-11-23T10:00:00Z');
    const t2 = new Date('2026-11-23T10:05:00Z');
    await consents.record([change(false, t2)]);
    // An older START redelivered after the STOP changes nothing.
    await consents.record([change(true, t1, { updatedBy: 'message:m0' })]);
    expect(await consents.get(customerId, 'telegram', 'service')).toMatchObject({
      granted: false,
      updatedBy: 'message:m1',
      updatedAt: t2,
    });
    // The same decision again is harmless; a newer one wins.
    await consents.record([change(false, t2)]);
    await consents.record([
      change(true, new Date('2026-11-23T10:10:00Z'), { source: 'agent', updatedBy: 'agent:alice' }),
      change(true, t2, { purpose: 'marketing', source: 'app', updatedBy: null }),
    ]);
    const rows = await consents.listForCustomer(customerId);
    expect(rows.map((r) => [r.channel, r.purpose, r.granted, r.source])).toEqual([
      ['telegram', 'marketing', true, 'app'],
      ['telegram', 'service', true, 'agent'],
    ]);
  });

  it('knows which customers exist and refuses a consent for an unknown one', async () => {
    expect(await consents.customerExists(customerId)).toBe(true);
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect(await consents.customerExists(ghost)).toBe(false);
    await expect(
      consents.record([change(false, new Date(), { customerId: ghost })]),
    ).rejects.toThrow();
  });
});
