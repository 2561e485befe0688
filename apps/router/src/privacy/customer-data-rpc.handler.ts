import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { CUSTOMER_EXPORT_MAX_BYTES, RouterRequests } from '@omnigate/contracts';
import type {
  CustomerExportV1,
  EraseCustomerRequestV1,
  ErasureResultV1,
  ExportCustomerRequestV1,
} from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import { CustomerErasureService } from './customer-erasure.service';
import { CustomerExportService } from './customer-export.service';

export class ExportTooLargeError extends AppError {
  constructor(bytes: number) {
    super(
      'PRIVACY.EXPORT_TOO_LARGE',
      `the export is ${bytes} bytes, more than one bus reply carries (${CUSTOMER_EXPORT_MAX_BYTES}): ` +
        'exports this large are not supported yet',
    );
  }
}

/**
 * A DPO's export and erasure, asked by the console (which checked the role dpo and audits the
 * request): the router owns the tables, so it reads, shreds and records what it did
 * (libs/store CustomerDataService, audited as the DPO); the export adds her vault cards, the
 * erasure reaches the streams and the vault (CustomerErasureService).
 */
@Controller()
export class CustomerDataRpcHandler {
  constructor(
    private readonly exports: CustomerExportService,
    private readonly erasure: CustomerErasureService,
  ) {}

  @OnRequest(RouterRequests.exportCustomer)
  async exportCustomer(req: ExportCustomerRequestV1): Promise<CustomerExportV1> {
    const bundle = await this.exports.export(req.customerId, req.actor);
    // A reply over the server's max_payload would never arrive: refused with the reason instead.
    const bytes = Buffer.byteLength(JSON.stringify(bundle));
    if (bytes > CUSTOMER_EXPORT_MAX_BYTES) throw new ExportTooLargeError(bytes);
    return bundle;
  }

  @OnRequest(RouterRequests.eraseCustomer)
  eraseCustomer(req: EraseCustomerRequestV1): Promise<ErasureResultV1> {
    return this.erasure.erase(req);
  }
}
