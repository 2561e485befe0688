import { Controller } from '@nestjs/common';
import { OnBroadcast } from '@omnigate/bus';
import { BroadcastSubjects } from '@omnigate/contracts';
import type { TypingSignalV1 } from '@omnigate/contracts';
import { TypingService } from './typing.service';

/** Every typing signal on core NATS (every instance, no replay); agents' go to the app sockets. */
@Controller()
export class TypingHandler {
  constructor(private readonly typing: TypingService) {}

  @OnBroadcast(BroadcastSubjects.typing)
  relay(signal: TypingSignalV1): Promise<void> {
    return this.typing.relayAgentTyping(signal);
  }
}
