import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { CustomerDataRpcHandler } from './customer-data-rpc.handler';

/** A DPO's export and erasure of one customer, asked by the console over the bus. */
@Module({
  imports: [RouterStoreModule],
  controllers: [CustomerDataRpcHandler],
})
export class PrivacyModule {}
