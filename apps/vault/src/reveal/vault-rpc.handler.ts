import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { VaultRequests } from '@omnigate/contracts';
import type {
  VaultCardOfRequestV1,
  VaultEraseCardsRequestV1,
  VaultRevealRequestV1,
} from '@omnigate/contracts';
import { CardErasureService } from '../erasure/card-erasure.service';
import { RevealService } from './reveal.service';

/** Queue group of every vault instance: one of them answers each request. */
export const VAULT_RPC_QUEUE = 'vault';

/** The vault's requests (libs/contracts commands/vault.v1.ts); the rules are in RevealService. */
@Controller()
export class VaultRpcHandler {
  constructor(
    private readonly reveals: RevealService,
    private readonly erasure: CardErasureService,
  ) {}

  @OnRequest(VaultRequests.reveal)
  reveal(req: VaultRevealRequestV1) {
    return this.reveals.reveal(req);
  }

  @OnRequest(VaultRequests.cardOf)
  cardOf(req: VaultCardOfRequestV1) {
    return this.reveals.cardOf(req);
  }

  /** The router's user only (NATS permissions): a customer's erasure reaching the vault. */
  @OnRequest(VaultRequests.eraseCards)
  eraseCards(req: VaultEraseCardsRequestV1) {
    return this.erasure.erase(req);
  }
}
