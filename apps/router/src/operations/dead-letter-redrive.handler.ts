import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  RedriveDeadLettersRequestV1,
  RedriveDeadLettersResponseV1,
} from '@omnigate/contracts';
import { DeadLetterRedriveService } from './dead-letter-redrive.service';

/** The console's redrive of dead letters (POST /api/dead-letters/redrive), carried out here. */
@Controller()
export class DeadLetterRedriveHandler {
  constructor(private readonly redrives: DeadLetterRedriveService) {}

  @OnRequest(RouterRequests.redriveDeadLetters)
  redrive(req: RedriveDeadLettersRequestV1): Promise<RedriveDeadLettersResponseV1> {
    return this.redrives.redrive(req);
  }
}
