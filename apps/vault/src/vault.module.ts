import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { KitModule, busOptionsFrom, databaseConfigFrom } from '@omnigate/kit';
import { VaultStoreModule } from '@omnigate/store';
import { CardIntakeService } from './cards/card-intake.service';
import { SealedCardHandler } from './cards/sealed-card.handler';
import { VAULT_CONFIG } from './config/vault.config';
import type { VaultConfig } from './config/vault.config';
import { CardErasureService } from './erasure/card-erasure.service';
import { VaultKeys } from './keys/vault-keys.service';
import { VaultRetentionService } from './retention/vault-retention.service';
import { RevealService } from './reveal/reveal.service';
import { VaultRpcHandler } from './reveal/vault-rpc.handler';

/**
 * The card vault: the only process holding the vault's private keys. It takes in the cards the
 * gateways sealed (CARDS stream), keeps them in its own tables, and answers reveal and card_of.
 */
@Module({})
export class VaultModule {
  static forRoot(config: VaultConfig): DynamicModule {
    return {
      module: VaultModule,
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'vault')),
        VaultStoreModule.forRoot(databaseConfigFrom(config)),
      ],
      // Bus handlers (@OnStream / @OnRequest), served by BusTransport (bootstrap.ts).
      controllers: [SealedCardHandler, VaultRpcHandler],
      providers: [
        { provide: VAULT_CONFIG, useValue: config },
        { provide: VaultKeys, useValue: VaultKeys.fromConfig(config.VAULT_PRIVATE_KEYS) },
        CardIntakeService,
        RevealService,
        CardErasureService,
        VaultRetentionService,
      ],
    };
  }
}
