import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InboundMessageV1Schema, Subjects, inboundMsgId } from '@omnigate/contracts';
import { BusPublisher } from '@omnigate/bus';
import { CardSealer, PanRedactor } from '@omnigate/crypto';
import { AppError } from '@omnigate/kit';
import type { AppPrincipal } from '../auth/app-principal.mapper';
import { INAPP_CONFIG } from '../config/gateway-inapp.config';
import type { GatewayInappConfig } from '../config/gateway-inapp.config';
import { inappMessagesIn } from '../inapp.metrics';
import { ClientMessageSchema, ackError, describeIssues } from '../socket/inapp-protocol.v1';
import type { Ack } from '../socket/inapp-protocol.v1';
import { publishSealedCards } from '../sealing/sealed-cards.publisher';
import { toInboundMessage } from './inapp-inbound.mapper';

export type MessageAck = Ack<{ clientMsgId: string; accepted: true }>;

/**
 * A message from the app: validate, redact card numbers, publish on msg.in.v1.inapp and answer
 * only once JetStream stored it. The same clientMsgId again is the same message (Nats-Msg-Id).
 */
@Injectable()
export class InappInboundService {
  private readonly logger = new Logger('inapp-inbound');

  constructor(
    private readonly bus: BusPublisher,
    private readonly redactor: PanRedactor,
    @Inject(INAPP_CONFIG) private readonly config: GatewayInappConfig,
    private readonly sealer: CardSealer,
  ) {}

  async accept(principal: AppPrincipal, payload: unknown): Promise<MessageAck> {
    const parsed = ClientMessageSchema.safeParse(payload);
    if (!parsed.success) return this.invalid(describeIssues(parsed.error));
    const { clientMsgId } = parsed.data;
    // The id is echoed in headers and meta: it must never carry a card number.
    if (this.redactor.redact(clientMsgId).redactions.length > 0) {
      return this.invalid('clientMsgId: must not contain a card number');
    }
    const { text, redactions, sealed } = await this.sealer.redactAndSeal(parsed.data.text);
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
      // The numbers go to the vault (sealed) before the references that stand for them.
      await publishSealedCards(this.bus, 'inapp', sealed);
      const ack = await this.bus.publish(
        Subjects.inbound('inapp'),
        InboundMessageV1Schema,
        message,
        {
          msgId: inboundMsgId('inapp', message.providerMessageId),
        },
      );
      inappMessagesIn.inc({ result: ack.duplicate ? 'duplicate' : 'accepted' });
      return { ok: true, clientMsgId, accepted: true };
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      inappMessagesIn.inc({ result: code === 'BUS.UNAVAILABLE' ? 'unavailable' : 'error' });
      this.logger.warn({ msg: 'app message not accepted', code, clientMsgId });
      if (code === 'BUS.UNAVAILABLE') {
        return ackError(
          code,
          'the message could not be stored right now: send it again with the same clientMsgId',
        );
      }
      return ackError('INTERNAL', 'internal error: send it again with the same clientMsgId');
    }
  }

  private invalid(reason: string): MessageAck {
    inappMessagesIn.inc({ result: 'invalid' });
    return ackError('INAPP.MESSAGE_INVALID', reason);
  }
}
