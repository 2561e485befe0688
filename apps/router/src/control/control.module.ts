import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { EventsModule } from '../events/events.module';
import { ControlService } from './control.service';
import { RoutingRpcHandler } from './routing-rpc.handler';

/** Who answers a conversation (bot or one agent), agents' presence and queue counts. */
@Module({
  imports: [RouterStoreModule, EventsModule],
  controllers: [RoutingRpcHandler],
  providers: [ControlService],
  exports: [ControlService],
})
export class ControlModule {}
