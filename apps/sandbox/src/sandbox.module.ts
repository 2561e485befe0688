import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { KitModule } from '@omnigate/kit';
import { SANDBOX_CONFIG } from './config/sandbox.config';
import type { SandboxConfig } from './config/sandbox.config';
import { CoreBankingModule } from './core-banking/core-banking.module';
import { EmailSandboxModule } from './email/email-sandbox.module';
import { OidcSandboxModule } from './oidc/oidc-sandbox.module';
import { SimulatorModule } from './simulator/simulator.module';
import { TelegramSandboxModule } from './telegram/telegram-sandbox.module';
import { TwilioSandboxModule } from './twilio/twilio-sandbox.module';
import { WhatsAppSandboxModule } from './whatsapp/whatsapp-sandbox.module';

/**
 * Local stand-ins for the providers (used by tests and the demo only). No NATS and no database:
 * /health has no checks and answers ok as soon as the server listens.
 */
@Module({})
export class SandboxModule {
  static forRoot(config: SandboxConfig): DynamicModule {
    const email = EmailSandboxModule.forRoot(config);
    return {
      module: SandboxModule,
      imports: [
        KitModule,
        {
          module: SandboxConfigModule,
          global: true,
          providers: [{ provide: SANDBOX_CONFIG, useValue: config }],
          exports: [SANDBOX_CONFIG],
        },
        TwilioSandboxModule,
        WhatsAppSandboxModule,
        TelegramSandboxModule,
        OidcSandboxModule,
        CoreBankingModule.forRoot({
          apiKey: config.CORE_BANKING_API_KEY,
          eventsUrl: config.SANDBOX_CORE_EVENTS_URL,
          eventsSecret: config.SANDBOX_CORE_EVENTS_SECRET,
          eventsRetryMs: config.SANDBOX_CORE_EVENTS_RETRY_MS,
        }),
        email,
        SimulatorModule.forRoot([
          TwilioSandboxModule,
          WhatsAppSandboxModule,
          TelegramSandboxModule,
          email,
        ]),
      ],
    };
  }
}

/** Makes the parsed config injectable everywhere in the sandbox. */
@Module({})
export class SandboxConfigModule {}
