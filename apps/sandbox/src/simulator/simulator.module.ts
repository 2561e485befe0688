import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { InappCustomerClient } from './inapp-customer.client';
import { SimulatorApiController } from './simulator-api.controller';
import { SimulatorDirectoryService } from './simulator-directory.service';
import { SimulatorInboxService } from './simulator-inbox.service';
import { SimulatorPageController } from './simulator-page.controller';
import { SimulatorSendService } from './simulator-send.service';

type Imports = NonNullable<DynamicModule['imports']>;

/**
 * The customer simulator (/simulator): plays a customer on every channel through the stand-ins.
 * `standIns` are the very module instances the sandbox imports (the Twilio, WhatsApp, Telegram and
 * email stand-ins), so it sends and reads through their state, not copies of it.
 */
@Module({})
export class SimulatorModule {
  static forRoot(standIns: Imports): DynamicModule {
    return {
      module: SimulatorModule,
      imports: standIns,
      controllers: [SimulatorApiController, SimulatorPageController],
      providers: [
        InappCustomerClient,
        SimulatorDirectoryService,
        SimulatorInboxService,
        SimulatorSendService,
      ],
    };
  }
}
