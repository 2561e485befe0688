import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { CardSealer, HpkeSealer, PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom } from '@omnigate/kit';
import { consentFeedHandler } from './consent/consent-feed.handler';
import type { GatewayEnv } from './gateway.config';
import { GATEWAY_KIT_OPTIONS } from './gateway-kit.options';
import type { GatewayKitOptions } from './gateway-kit.options';
import { InboundPublisher } from './inbound/inbound.publisher';
import { outboundHandler } from './outbound/outbound.handler';
import { OutboundSendLoop } from './outbound/send-loop.service';
import { SentLedger } from './outbound/sent-ledger.store';
import { RecipientVetoes } from './recipients/recipient-vetoes.store';
import { StatusPublisher } from './status/status.publisher';

const EXPORTED = [
  InboundPublisher,
  StatusPublisher,
  OutboundSendLoop,
  RecipientVetoes,
  SentLedger,
  PanRedactor,
];

/**
 * Everything a gateway shares with the others, composed into its module: health and metrics, its
 * NATS connection (started before the streams exist if need be), the inbound publisher that seals
 * card numbers to the vault's public key, the status publisher, the outbound send loop (with the
 * OutboundSender the gateway's module provides), and its own opt-out list fed by the router's
 * consent events. Its two consumers are `@OnStream` handlers: the gateway's bootstrap passes
 * `transport: busTransport(...)` to startHttpApp. No database, no data key.
 */
@Module({})
export class GatewayKitModule {
  static forRoot(config: GatewayEnv, options: GatewayKitOptions): DynamicModule {
    const sealer = new CardSealer(
      new PanRedactor(),
      HpkeSealer.fromConfig(config.VAULT_PUBLIC_KEY, 'VAULT_PUBLIC_KEY'),
    );
    return {
      module: GatewayKitModule,
      imports: [
        KitModule,
        BusModule.forRoot({
          ...busOptionsFrom(config, `gateway-${options.channel}`),
          streamsInBackground: true,
        }),
      ],
      controllers: [outboundHandler(options), consentFeedHandler(options.channel)],
      providers: [
        { provide: GATEWAY_KIT_OPTIONS, useValue: options },
        { provide: CardSealer, useValue: sealer },
        { provide: PanRedactor, useValue: new PanRedactor() },
        ...EXPORTED.filter((p) => p !== PanRedactor),
      ],
      exports: [GATEWAY_KIT_OPTIONS, ...EXPORTED],
    };
  }
}
