import { Inject, Injectable, Logger } from '@nestjs/common';
import { ZodError } from 'zod';
import { BusClient, BusUnavailableError } from '@omnigate/bus';
import { AppError, counter } from '@omnigate/kit';
import { VaultRequests } from '@omnigate/contracts';
import type {
  VaultCardOfResponseV1,
  VaultRevealRequestV1,
  VaultRevealResponseV1,
} from '@omnigate/contracts';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';

const calls = counter('omnigate_console_vault_rpc_total', 'Console → vault requests', [
  'rpc',
  'outcome',
]);

/**
 * The console's way to card numbers: the vault app, over the bus (the console holds no key that
 * opens a card). The vault's refusals keep their code (VAULT.ROLE_FORBIDDEN → 403,
 * VAULT.NOT_FOUND → 404); no answer is BUS.UNAVAILABLE (503).
 */
@Injectable()
export class VaultRpcClient {
  private readonly logger = new Logger('console-vault-rpc');
  private readonly timeoutMs: number;

  constructor(
    private readonly bus: BusClient,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.timeoutMs = config.CONSOLE_RPC_TIMEOUT_MS;
  }

  reveal(req: VaultRevealRequestV1): Promise<VaultRevealResponseV1> {
    return this.call('reveal', () =>
      this.bus.request(VaultRequests.reveal, req, { timeoutMs: this.timeoutMs }),
    );
  }

  cardOf(ref: string): Promise<VaultCardOfResponseV1> {
    return this.call('card_of', () =>
      this.bus.request(VaultRequests.cardOf, { ref }, { timeoutMs: this.timeoutMs }),
    );
  }

  private async call<T>(rpc: string, run: () => Promise<T>): Promise<T> {
    try {
      const out = await run();
      calls.inc({ rpc, outcome: 'ok' });
      return out;
    } catch (e) {
      const err =
        e instanceof AppError && e.code === 'BUS.UNAVAILABLE'
          ? new BusUnavailableError('the card vault did not answer; try again', e)
          : e instanceof AppError
            ? e
            : new AppError('INTERNAL', 'internal error', { cause: e });
      calls.inc({ rpc, outcome: err.code });
      if (err.code === 'BUS.UNAVAILABLE' || e instanceof ZodError) {
        this.logger.warn({ msg: 'vault request failed', rpc, code: err.code });
      }
      throw err;
    }
  }
}
