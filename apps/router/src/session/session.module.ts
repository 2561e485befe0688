import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { AssuranceService } from './assurance.service';
import { SessionService } from './session.service';

/** A customer's session in NATS KV and the assurance it carries across channels. */
@Module({
  imports: [RouterStoreModule],
  providers: [SessionService, AssuranceService],
  exports: [SessionService, AssuranceService],
})
export class SessionModule {}
