import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ObjectStoreClient } from '@omnigate/bus';
import { EmailIntakeService } from './email-intake.service';

/** Opens what the email gateway sealed (attachments, quarantined mail) into the router's store. */
@Module({
  imports: [RouterStoreModule],
  providers: [ObjectStoreClient, EmailIntakeService],
  exports: [EmailIntakeService],
})
export class IntakeModule {}
