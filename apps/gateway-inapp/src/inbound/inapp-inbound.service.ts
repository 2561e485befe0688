import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PanRedactor } from '@omnigate/crypto';
import { InboundPublisher } from '@omnigate/gateway-kit';
import { AppError } from '@omnigate/kit';
import type { AppPrincipal } from '../auth/app-principal.mapper';
import { INAPP_CONFIG } from '../config/gateway-inapp.config';
import type { GatewayInappConfig } from '../config/gateway-inapp.config';
import { inappMessagesIn } from '../inapp.metrics';
import { ClientMessageSchema, ackError, describeIssues } from '../socket/inapp-protocol.v1';
import type { Ack } from '../socket/inapp-protocol.v1';
import { toInboundMessage } from './inapp-inbound.mapper';

export type MessageAck = Ack<{ clientMsgId: string; accepted: true }>;

/**
 * A message from the app: validate, redact card numbers, publish on msg.in.v1.inapp (the kit's
 * InboundPublisher) and answer only once JetStream stored it. The same clientMsgId again is the
 * same message (Nats-Msg-Id).
 */
@Injectable()
export class InappInboundService {
  private readonly logger = new Logger('inapp-inbound');

  constructor(
    private readonly inbound: InboundPublisher,
    private readonly redactor: PanRedactor,
    @Inject(INAPP_CONFIG) private readonly config: GatewayInappConfig,
  ) {}

  async accept(principal: AppPrincipal, payload: unknown): Promise<MessageAck> {
    const parsed = ClientMessageSchema.safeParse(payload);
    if (!parsed.success) return this.invalid(describeIssues(parsed.error));
    const { clientMsgId } = parsed.data;
    // The id is echoed in headers and meta: it must never carry a card number.
    if (this.redactor.redact(clientMsgId).redactions.length > 0) {
      return this.invalid('clientMsgId: must not contain a card number');
    }
    const cards = this.inbound.redaction();
    const { text, redactions } = cards.redact(parsed.data.text);
    const message = toInboundMessage({
      id: randomUUID(),
      now: new Date(),
      principal,
      clientMsgId,
      text,
      redactions,
      ourAddress: this.config.INAPP_OUR_ADDRESS,
    });
    try {
      // The kit seals the cards to the vault before the references, and records a STOP.
      const ack = await this.inbound.publish(message, cards);
      inappMessagesIn.inc({ result: ack.duplicate ? 'duplicate' : 'accepted' });
      return { ok: true, clientMsgId, accepted: true };
    } catch (e) {
      return this.notAccepted(e, clientMsgId);
    }
  }

  /** NATS down, streams or the opt-out list not there yet: the app sends the same again later. */
  private notAccepted(e: unknown, clientMsgId: string): MessageAck {
    const retry = e instanceof AppError && e.retryable;
    const code = e instanceof AppError ? e.code : 'INTERNAL';
    inappMessagesIn.inc({ result: retry ? 'unavailable' : 'error' });
    this.logger.warn({ msg: 'app message not accepted', code, clientMsgId });
    if (retry) {
      return ackError(
        code,
        'the message could not be stored right now: send it again with the same clientMsgId',
      );
    }
    return ackError('INTERNAL', 'internal error: send it again with the same clientMsgId');
  }

  private invalid(reason: string): MessageAck {
    inappMessagesIn.inc({ result: 'invalid' });
    return ackError('INAPP.MESSAGE_INVALID', reason);
  }
}
