import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ClocksModule } from '../clocks/clocks.module';
import { JourneyClocksService } from './journey-clocks.service';
import { JourneyProjectionService } from './journey-projection.service';
import { JourneysHandler } from './journeys.handler';

/** The journey projection (issue 15): conversation events → journey_* tables, for the dashboard. */
@Module({
  imports: [RouterStoreModule, ClocksModule],
  controllers: [JourneysHandler],
  providers: [JourneyProjectionService, JourneyClocksService],
  exports: [JourneyProjectionService],
})
export class JourneysModule {}
