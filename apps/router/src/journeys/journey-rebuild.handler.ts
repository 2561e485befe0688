import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type { RebuildJourneysRequestV1, RebuildJourneysResponseV1 } from '@omnigate/contracts';
import { JourneyRebuildService } from './journey-rebuild.service';

/** An operator's rebuild of the journey projection (`npm run journeys:rebuild`), carried out here. */
@Controller()
export class JourneyRebuildHandler {
  constructor(private readonly rebuilds: JourneyRebuildService) {}

  @OnRequest(RouterRequests.rebuildJourneys)
  rebuild(req: RebuildJourneysRequestV1): Promise<RebuildJourneysResponseV1> {
    return this.rebuilds.rebuild(req);
  }
}
