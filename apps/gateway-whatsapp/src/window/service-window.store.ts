import { Inject, Injectable } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { WHATSAPP_CONFIG } from '../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../config/gateway-whatsapp.config';

const HOUR = 3_600_000;

/**
 * The time of each customer's last inbound WhatsApp message, in the NATS KV bucket
 * `whatsapp_window` (shared by every gateway instance; entries expire with the window, and the
 * bucket's max_age bounds them on NATS 2.9 which has no per-key TTL).
 */
@Injectable()
export class ServiceWindowStore {
  private bucket: Promise<KvBucket<number>> | null = null;

  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly kv: KvStore,
  ) {}

  get windowMs(): number {
    return this.config.WHATSAPP_WINDOW_HOURS * HOUR;
  }

  async lastInboundAt(address: string): Promise<number | undefined> {
    return (await this.open()).get(address);
  }

  async recordInbound(address: string, at: number): Promise<void> {
    await (await this.open()).put(address, at, this.windowMs, at);
  }

  private open(): Promise<KvBucket<number>> {
    this.bucket ??= this.kv.bucket<number>('whatsapp_window', this.windowMs).catch((e: unknown) => {
      this.bucket = null;
      throw e;
    });
    return this.bucket;
  }
}
