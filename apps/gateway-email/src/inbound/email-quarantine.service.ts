import { Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import { DEAD_LETTER_V1, DeadLetterV1Schema, Subjects } from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import { createHash } from 'node:crypto';
import { emailMetrics } from '../email.metrics';

/** The DLQ coordinates of inbound mail we could not read (what the console's dead letters show). */
export const QUARANTINE = { stream: 'EMAIL_INBOUND', consumer: 'gateway-email' } as const;
const MAX_PAYLOAD = 256 * 1024;

/**
 * Mail we cannot turn into a customer message is not dropped: it goes to the dead-letter stream
 * (kept 30 days, listed at the console's GET /api/dead-letters) with the reason, its card
 * numbers redacted like everything else on the bus.
 */
@Injectable()
export class EmailQuarantineService {
  private readonly logger = new Logger('email-quarantine');

  constructor(
    private readonly publisher: BusPublisher,
    private readonly redactor: PanRedactor,
  ) {}

  async keep(raw: Buffer, source: string, code: string, reason: string): Promise<void> {
    const digest = createHash('sha256').update(raw).digest('hex');
    const text = raw.subarray(0, MAX_PAYLOAD).toString('utf8');
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
        error: { code, message: reason.slice(0, 500) },
        payload: this.redactor.redact(text).text,
        at: new Date().toISOString(),
      },
      { msgId: `dlq:email:${digest}` },
    );
    emailMetrics.inbound.inc({ source, outcome: 'quarantined' });
    this.logger.warn({ msg: 'inbound mail quarantined', code, sha256: digest.slice(0, 16) });
  }
}
