import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { EventsModule } from '../events/events.module';
import { NotifyModule } from '../notify/notify.module';
import { DeliveryStatusHandler } from './delivery-status.handler';

/** Delivery statuses from the gateways (msg.status.v1.<channel>). */
@Module({
  imports: [RouterStoreModule, EventsModule, NotifyModule],
  controllers: [DeliveryStatusHandler],
})
export class StatusModule {}
