import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ConsentModule } from '../consent/consent.module';
import { EventsModule } from '../events/events.module';
import { IdentityModule } from '../identity/identity.module';
import { IntakeModule } from '../intake/intake.module';
import { RoutingModule } from '../routing/routing.module';
import { SessionModule } from '../session/session.module';
import { InboundMessageHandler } from './inbound-message.handler';

/** Customer messages from every channel (msg.in.v1.<channel>): the start of the message path. */
@Module({
  imports: [
    RouterStoreModule,
    ConsentModule,
    EventsModule,
    IdentityModule,
    IntakeModule,
    RoutingModule,
    SessionModule,
  ],
  controllers: [InboundMessageHandler],
})
export class InboundModule {}
