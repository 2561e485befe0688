import { Module } from '@nestjs/common';
import { StreamReplayer } from '@omnigate/bus';
import { RouterStoreModule } from '@omnigate/store';
import { ClocksModule } from '../clocks/clocks.module';
import { JourneyClocksService } from './journey-clocks.service';
import { JourneyProjectionService } from './journey-projection.service';
import { JourneyRebuildHandler } from './journey-rebuild.handler';
import { JourneyRebuildService } from './journey-rebuild.service';
import { JourneysHandler } from './journeys.handler';

/**
 * The journey projection (issue 15): conversation events → journey_* tables, for the dashboard;
 * an operator's rebuild replays CONV_EVENTS into them.
 */
@Module({
  imports: [RouterStoreModule, ClocksModule],
  controllers: [JourneysHandler, JourneyRebuildHandler],
  providers: [
    JourneyProjectionService,
    JourneyClocksService,
    JourneyRebuildService,
    StreamReplayer,
  ],
  exports: [JourneyProjectionService],
})
export class JourneysModule {}
