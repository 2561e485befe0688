import { Module } from '@nestjs/common';
import { CoreEventSignatureGuard } from './core-event-signature.guard';
import { CoreEventsController } from './core-events.controller';
import { CoreEventsService } from './core-events.service';

/** The bank's signed event webhook (POST /core-banking/events) onto the bus. */
@Module({
  controllers: [CoreEventsController],
  providers: [CoreEventsService, CoreEventSignatureGuard],
})
export class CoreEventsModule {}
