import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import {
  DEAD_LETTER_V1,
  DeadLetterV1Schema,
  SealedObjectBuckets,
  Subjects,
} from '@omnigate/contracts';
import { InboundPublisher } from '@omnigate/gateway-kit';
import { emailMetrics } from '../email.metrics';
import { SealedObjectsService } from '../sealing/sealed-objects.service';
import { redactRawMail } from './quarantined-mail.mapper';

/** The DLQ coordinates of inbound mail we could not read (what the console's dead letters show). */
export const QUARANTINE = { stream: 'EMAIL_INBOUND', consumer: 'gateway-email' } as const;

/** What a quarantine dead letter's payload says: where the sealed mail is, never its text. */
export interface QuarantinedMailPointer {
  bucket: string;
  object: string;
  /** Of the mail as received (its object's name): the same mail twice is one object. */
  sha256: string;
  /** Of what was kept: the mail with its card data taken out. */
  size: number;
}

/**
 * Mail we cannot turn into a customer message is not dropped: the raw mail, its card data taken
 * out of every part (quarantined-mail.mapper: cards sealed to the vault), goes to the object
 * store sealed to the router's intake key (the gateway cannot read it back, nor can anyone who
 * only reads the bus), and a dead letter (kept 30 days, listed at the console's GET
 * /api/dead-letters) names it with the reason. README "Quarantined mail" says how to open it.
 */
@Injectable()
export class EmailQuarantineService {
  private readonly logger = new Logger('email-quarantine');

  constructor(
    private readonly publisher: BusPublisher,
    private readonly objects: SealedObjectsService,
    private readonly inbound: InboundPublisher,
  ) {}

  async keep(raw: Buffer, source: string, code: string, reason: string): Promise<void> {
    const digest = createHash('sha256').update(raw).digest('hex');
    // Named by its digest: the same mail delivered twice is one object and one dead letter.
    const object = `mail-${digest}`;
    // Card data out of every part an operator's mail program would decode; cards to the vault.
    const cards = this.inbound.redaction();
    const kept = redactRawMail(raw, cards.redactKept);
    const why = cards.redactKept(reason);
    await this.inbound.sealFound(cards);
    await this.objects.putQuarantined(object, kept);
    const pointer: QuarantinedMailPointer = {
      bucket: SealedObjectBuckets.emailQuarantine,
      object,
      sha256: digest,
      size: kept.length,
    };
    await this.publisher.publish(
      Subjects.deadLetter(QUARANTINE.stream, QUARANTINE.consumer),
      DeadLetterV1Schema,
      {
        type: DEAD_LETTER_V1,
        version: 1,
        stream: QUARANTINE.stream,
        consumer: QUARANTINE.consumer,
        subject: `email.in.${source}`,
        streamSeq: 0,
        deliveryCount: 1,
        error: { code, message: why.slice(0, 500) },
        payload: JSON.stringify(pointer),
        at: new Date().toISOString(),
      },
      { msgId: `dlq:email:${digest}` },
    );
    emailMetrics.inbound.inc({ source, outcome: 'quarantined' });
    this.logger.warn({
      msg: 'inbound mail quarantined',
      code,
      object,
      cards: cards.found.length,
      removed: cards.removed.length,
    });
  }
}
