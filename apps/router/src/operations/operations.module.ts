import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { DeadLetterRedriveHandler } from './dead-letter-redrive.handler';
import { DeadLetterRedriveService } from './dead-letter-redrive.service';

/** Operations on the bus asked by the console: the redrive of dead letters. */
@Module({
  imports: [RouterStoreModule],
  controllers: [DeadLetterRedriveHandler],
  providers: [DeadLetterRedriveService],
})
export class OperationsModule {}
