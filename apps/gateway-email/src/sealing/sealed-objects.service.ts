import { Inject, Injectable } from '@nestjs/common';
import { ObjectStoreClient } from '@omnigate/bus';
import {
  SEALED_OBJECT_V1,
  SealedObjectBuckets,
  SealedObjectV1Schema,
  quarantinedMailAad,
  sealedAttachmentAad,
  sealedObjectRef,
} from '@omnigate/contracts';
import type { HpkeSealer } from '@omnigate/crypto';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { EmailStoreUnavailableError } from '../email.errors';

/** The router's intake public key (HPKE): what the gateway seals bytes to. It cannot open them. */
export const INTAKE_SEALER = Symbol('INTAKE_SEALER');

/**
 * Bytes the gateway must keep but may not read back: customer attachments (for the router to take
 * in) and unreadable mail (for an operator), each sealed to the router's intake key and bound by
 * its AAD to where it belongs, in the JetStream object store.
 */
@Injectable()
export class SealedObjectsService {
  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    @Inject(INTAKE_SEALER) private readonly sealer: HpkeSealer,
    private readonly objects: ObjectStoreClient,
  ) {}

  /** Stores one attachment of the mail `providerMessageId` under `id`; returns its ref. */
  async putAttachment(id: string, providerMessageId: string, content: Buffer): Promise<string> {
    const ref = sealedObjectRef(id);
    await this.put(
      SealedObjectBuckets.emailAttachments,
      this.config.EMAIL_ATTACHMENT_MAX_AGE_MS,
      id,
      content,
      sealedAttachmentAad(providerMessageId, ref),
    );
    return ref;
  }

  /** Stores an unreadable mail for an operator under `name`. */
  async putQuarantined(name: string, raw: Buffer): Promise<void> {
    await this.put(
      SealedObjectBuckets.emailQuarantine,
      this.config.EMAIL_QUARANTINE_MAX_AGE_MS,
      name,
      raw,
      quarantinedMailAad(name),
    );
  }

  private async put(
    bucket: string,
    maxAgeMs: number,
    name: string,
    content: Buffer,
    aad: string,
  ): Promise<void> {
    // A copy: a Buffer is often a view into a shared pool, and the sealer takes its whole ArrayBuffer.
    const box = await this.sealer.seal(new Uint8Array(content), aad);
    const body = SealedObjectV1Schema.parse({ type: SEALED_OBJECT_V1, version: 1, ...box });
    try {
      const store = await this.objects.bucket(bucket, maxAgeMs);
      await store.put(name, Buffer.from(JSON.stringify(body)));
    } catch (e) {
      throw new EmailStoreUnavailableError(e);
    }
  }
}
