import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { TicketClocksService } from './ticket-clocks.service';

/** Regulatory clocks on tickets: deadlines, holding replies, breaches and the at-risk gauge. */
@Module({
  imports: [RouterStoreModule],
  providers: [TicketClocksService],
  exports: [TicketClocksService],
})
export class ClocksModule {}
