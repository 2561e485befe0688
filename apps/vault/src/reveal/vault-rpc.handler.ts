import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  Subjects,
  VaultCardOfRequestV1Schema,
  VaultRevealRequestV1Schema,
} from '@omnigate/contracts';
import { RevealService } from './reveal.service';

/** Queue group of every vault instance: one of them answers each request. */
export const VAULT_RPC_QUEUE = 'vault';

/** The vault's requests (libs/contracts commands/vault.v1.ts); the rules are in RevealService. */
@Injectable()
export class VaultRpcHandler implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: BusRpc,
    private readonly reveals: RevealService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(
      Subjects.rpc.vaultReveal,
      VaultRevealRequestV1Schema,
      (req) => this.reveals.reveal(req),
      VAULT_RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.vaultCardOf,
      VaultCardOfRequestV1Schema,
      (req) => this.reveals.cardOf(req),
      VAULT_RPC_QUEUE,
    );
  }
}
