import { Module } from '@nestjs/common';
import { ObjectStoreClient } from '@omnigate/bus';
import { EmailAttachmentsRepository } from '@omnigate/store';
import { EmailIntakeService } from './email-intake.service';

/** Opens what the email gateway sealed (attachments, quarantined mail) into the router's store. */
@Module({
  providers: [ObjectStoreClient, EmailAttachmentsRepository, EmailIntakeService],
  exports: [EmailIntakeService],
})
export class IntakeModule {}
