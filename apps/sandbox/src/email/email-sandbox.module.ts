import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { EmailControlController } from './email-control.controller';
import { EMAIL_SANDBOX_CONFIG } from './email-sandbox.config';
import type { EmailSandboxConfig } from './email-sandbox.config';
import { EmailSenderService } from './email-sender.service';
import { EmailSinkService } from './email-sink.service';

/** The email stand-in: an SMTP sink (our outbound) and a customer's MTA (our inbound). */
@Module({})
export class EmailSandboxModule {
  static forRoot(config: EmailSandboxConfig): DynamicModule {
    return {
      module: EmailSandboxModule,
      controllers: [EmailControlController],
      providers: [
        { provide: EMAIL_SANDBOX_CONFIG, useValue: config },
        EmailSinkService,
        EmailSenderService,
      ],
      // For the customer simulator: sends as the customer, reads what our gateway sent.
      exports: [EmailSinkService, EmailSenderService],
    };
  }
}
