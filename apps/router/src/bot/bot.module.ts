import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ControlModule } from '../control/control.module';
import { IdentityModule } from '../identity/identity.module';
import { ReplyModule } from '../reply/reply.module';
import { SessionModule } from '../session/session.module';
import { BotService } from './bot.service';

/** The bot's journeys (fraud, onboarding, disputes) and its handoff to an agent. */
@Module({
  imports: [RouterStoreModule, SessionModule, IdentityModule, ReplyModule, ControlModule],
  providers: [BotService],
  exports: [BotService],
})
export class BotModule {}
