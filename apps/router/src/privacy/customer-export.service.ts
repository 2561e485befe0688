import { Injectable } from '@nestjs/common';
import { BusClient, RpcError } from '@omnigate/bus';
import { VaultRequests } from '@omnigate/contracts';
import type { CustomerExportV1 } from '@omnigate/contracts';
import { CustomerDataService } from '@omnigate/store';

const CARD_REF = /ref_[a-p]{20}/g;

/**
 * The export bundle, completed with what the vault keeps of her cards: each reference her
 * messages carry, with the vault's token, brand and last four (never the number). A reference the
 * vault never took in is left out; a vault that does not answer fails the export (BUS.UNAVAILABLE),
 * since an incomplete bundle would be handed to the customer as complete.
 */
@Injectable()
export class CustomerExportService {
  constructor(
    private readonly data: CustomerDataService,
    private readonly bus: BusClient,
  ) {}

  async export(customerId: string, actor: string): Promise<CustomerExportV1> {
    const bundle = await this.data.export(customerId, actor);
    const refs = new Set(bundle.messages.flatMap((m) => m.text.match(CARD_REF) ?? []));
    const vaultCards: CustomerExportV1['vaultCards'] = [];
    for (const ref of refs) {
      try {
        vaultCards.push({ ref, ...(await this.bus.request(VaultRequests.cardOf, { ref })) });
      } catch (e) {
        if (e instanceof RpcError && e.code === 'VAULT.NOT_FOUND') continue;
        throw e;
      }
    }
    return { ...bundle, vaultCards };
  }
}
