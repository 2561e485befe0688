import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule, InjectionToken } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { KitModule } from '@omnigate/kit';
import {
  AuditLogRepository,
  ConsoleStoreModule,
  ConversationsReader,
  ConversationsRepository,
  CustomerDataService,
  DataOpener,
  DataProtection,
  DbHandle,
  MessagesReader,
  MessagesRepository,
  RouterStoreModule,
  STORE_CONFIG,
  VaultCardsRepository,
  VaultStoreModule,
} from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

/**
 * One store module per owning app, none global: each app's module gives it its own repositories
 * and nothing of another app's; the router's feature modules share one instance.
 */
describe('per-owner store modules', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.cleanup();
  });

  /** Whether a module that imports `store` may inject `token` (what the app's code can reach). */
  async function canInject(store: DynamicModule, token: InjectionToken): Promise<boolean> {
    @Injectable()
    class Probe {
      constructor(@Inject(token) readonly got: unknown) {}
    }
    @Module({ imports: [store], providers: [Probe] })
    class App {}
    try {
      const mod = await Test.createTestingModule({ imports: [KitModule, App] }).compile();
      await mod.close();
      return true;
    } catch (e) {
      if (e instanceof Error && /can't resolve dependencies/i.test(e.message)) return false;
      throw e;
    }
  }

  it("gives the console read-only views and nothing that writes the router's tables", async () => {
    const store = ConsoleStoreModule.forRoot(tdb.config);
    for (const view of [ConversationsReader, MessagesReader, DataOpener, AuditLogRepository]) {
      expect([view.name, await canInject(store, view)]).toEqual([view.name, true]);
    }
    for (const writer of [
      DbHandle,
      MessagesRepository,
      ConversationsRepository,
      DataProtection,
      CustomerDataService,
      VaultCardsRepository,
    ]) {
      expect([writer.name, await canInject(store, writer)]).toEqual([writer.name, false]);
    }
  });

  it('gives the vault its own tables only', async () => {
    const store = VaultStoreModule.forRoot(tdb.config);
    expect(await canInject(store, VaultCardsRepository)).toBe(true);
    for (const other of [DataOpener, ConversationsReader, MessagesRepository]) {
      expect([other.name, await canInject(store, other)]).toEqual([other.name, false]);
    }
  });

  it('lets the router features import the static module: one instance, configured once', async () => {
    @Global()
    @Module({
      providers: [{ provide: STORE_CONFIG, useValue: tdb.config }],
      exports: [STORE_CONFIG],
    })
    class AppConfigModule {}
    @Injectable()
    class UsesMessages {
      constructor(readonly messages: MessagesRepository) {}
    }
    @Module({ imports: [RouterStoreModule], providers: [UsesMessages], exports: [UsesMessages] })
    class FeatureA {}
    @Injectable()
    class AlsoUsesMessages {
      constructor(readonly messages: MessagesRepository) {}
    }
    @Module({ imports: [RouterStoreModule, FeatureA], providers: [AlsoUsesMessages] })
    class FeatureB {}
    const mod = await Test.createTestingModule({
      imports: [KitModule, AppConfigModule, FeatureA, FeatureB],
    }).compile();
    try {
      const shared = mod.get(UsesMessages).messages;
      expect(mod.get(AlsoUsesMessages).messages).toBe(shared);
      expect(shared).toBeInstanceOf(MessagesRepository);
      expect(mod.get(DataOpener)).toBe(mod.get(DataProtection));
    } finally {
      await mod.close();
    }
  });
});
