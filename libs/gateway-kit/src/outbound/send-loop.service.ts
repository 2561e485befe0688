import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { RetryAfterError, TransientError } from '@omnigate/bus';
import { SpanKind, inSpan } from '@omnigate/kit';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import { gatewayMetrics } from '../gateway-kit.metrics';
import { GATEWAY_KIT_OPTIONS } from '../gateway-kit.options';
import type { GatewayKitOptions } from '../gateway-kit.options';
import { vetoFailure } from '../recipients/recipient-veto.rule';
import { RecipientVetoes } from '../recipients/recipient-vetoes.store';
import { StatusPublisher } from '../status/status.publisher';
import { SentLedger } from './sent-ledger.store';
import { OutboundSender, sendFailureOf } from './outbound-sender.port';
import type { SendFailure } from './outbound-sender.port';

/**
 * One outbound message → the provider, once: vetoed when the address opted out or blocked us,
 * reported instead of sent again when the ledger knows it, sent through the gateway's
 * OutboundSender, the failure classified (retry with backoff / failed / opted out / blocked), the
 * status published, counted. Fed by the kit's `@OnStream` handler (outbound.handler.ts).
 */
@Injectable()
export class OutboundSendLoop implements OnModuleInit {
  private readonly logger = new Logger('gateway-send');
  private sender: OutboundSender | null = null;

  constructor(
    @Inject(GATEWAY_KIT_OPTIONS) private readonly options: GatewayKitOptions,
    private readonly moduleRef: ModuleRef,
    private readonly vetoes: RecipientVetoes,
    private readonly ledger: SentLedger,
    private readonly statuses: StatusPublisher,
  ) {}

  /**
   * The gateway's module provides the sender (the kit is imported by it, so cannot inject from
   * it): found once here, before the transport hands out any message; missing, the app fails.
   */
  onModuleInit(): void {
    try {
      this.sender = this.moduleRef.get(OutboundSender, { strict: false });
    } catch (e) {
      throw new Error(
        `gateway-${this.options.channel}: provide an OutboundSender in the gateway's module ({ provide: OutboundSender, useClass: ... })`,
        { cause: e },
      );
    }
  }

  async handle(msg: OutboundMessageV1): Promise<void> {
    const sender = this.sender!;
    const to = sender.recipientOf(msg);
    const veto = await this.vetoes.vetoOfMessage(to, msg);
    if (veto) {
      const error = vetoFailure(this.options.channel, veto, sender.blockedReason);
      await this.statuses.publish(msg.messageId, 'failed', { error });
      return this.count(veto.kind, msg, error.code);
    }
    const sentBefore = await this.ledger.providerIdOf(msg.messageId);
    if (sentBefore) {
      // Redelivered after a crash or a failed status publish: report, never send twice.
      await this.statuses.publish(msg.messageId, sender.acceptedState, {
        providerMessageId: sentBefore,
      });
      return this.count('already_sent', msg);
    }
    let result;
    const sent = gatewayMetrics.sendSeconds.startTimer({ channel: this.options.channel });
    try {
      result = await inSpan(`send ${this.options.channel}`, () => sender.send(msg, to), {
        kind: SpanKind.CLIENT,
        attributes: {
          'omnigate.channel': this.options.channel,
          'omnigate.message.id': msg.messageId,
        },
      });
      sent({ result: 'ok' });
    } catch (e) {
      sent({ result: 'error' });
      const failure = sender.classify ? sender.classify(e) : sendFailureOf(e);
      return this.onFailure(msg, to, failure, e);
    }
    // Side by side: the ack (after both) is what keeps a redelivery from sending again.
    await Promise.all([
      this.ledger.remember(msg.messageId, result.providerMessageId),
      this.statuses.publish(msg.messageId, sender.acceptedState, {
        providerMessageId: result.providerMessageId,
      }),
    ]);
    this.count(result.outcome ?? 'sent', msg);
  }

  private async onFailure(
    msg: OutboundMessageV1,
    to: string,
    f: SendFailure,
    cause: unknown,
  ): Promise<void> {
    if (f.kind === 'retry') {
      this.count('retry', msg, f.code);
      const why = 'The provider did not take the message; will retry';
      throw f.retryAfterMs !== undefined
        ? new RetryAfterError(f.code, why, f.retryAfterMs, cause)
        : new TransientError(f.code, why, cause);
    }
    if (f.kind === 'opted_out') await this.vetoes.optedOutAtProvider(to, f.code);
    if (f.kind === 'blocked') await this.vetoes.setBlocked(to, true, `provider:${f.code}`);
    await this.statuses.publish(msg.messageId, 'failed', {
      error: { code: f.code, reason: f.reason },
    });
    this.count(f.kind, msg, f.code);
  }

  private count(outcome: string, msg: OutboundMessageV1, code?: string): void {
    gatewayMetrics.sends.inc({ channel: this.options.channel, outcome });
    this.logger.log({
      msg: 'send',
      channel: this.options.channel,
      outcome,
      messageId: msg.messageId,
      code,
    });
  }
}
