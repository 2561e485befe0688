import { Module } from '@nestjs/common';
import { StreamSweeper } from '@omnigate/bus';
import { RouterStoreModule } from '@omnigate/store';
import { SessionModule } from '../session/session.module';
import { CustomerDataRpcHandler } from './customer-data-rpc.handler';
import { CustomerErasureService } from './customer-erasure.service';
import { CustomerExportService } from './customer-export.service';

/** A DPO's export and erasure of one customer, asked by the console over the bus. */
@Module({
  imports: [RouterStoreModule, SessionModule],
  controllers: [CustomerDataRpcHandler],
  providers: [StreamSweeper, CustomerExportService, CustomerErasureService],
})
export class PrivacyModule {}
