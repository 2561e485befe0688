import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Message } from 'whatsapp-web.js';
import { HealthRegistry } from '@omnigate/kit';
import { WHATSAPP_CONFIG } from '../../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../../config/gateway-whatsapp.config';
import { WhatsAppInboundService } from '../../inbound/whatsapp-inbound.service';
import { WhatsAppStatusService } from '../../status/whatsapp-status.service';
import { loggableId } from '@omnigate/gateway-kit';
import { whatsappMetrics } from '../../whatsapp.metrics';
import { WEBJS_CLIENT_CTOR, WEBJS_LOCAL_AUTH_CTOR } from './webjs-client.port';
import type { LocalAuthCtor, WebjsClient, WebjsClientCtor } from './webjs-client.port';
import {
  ACK_ERROR_FAILURE,
  isCustomerMessage,
  mapWebjsMessage,
  reconnectDelay,
  stateOfAck,
} from './webjs.mapper';
import type { WebjsMessageLike } from './webjs.mapper';

export type LinkState =
  'starting' | 'qr' | 'pairing_code' | 'authenticated' | 'ready' | 'disconnected' | 'auth_failure';

const LINK_STATES: readonly LinkState[] = [
  'starting',
  'qr',
  'pairing_code',
  'authenticated',
  'ready',
  'disconnected',
  'auth_failure',
];

/** What the operator sees at GET /whatsapp/link (the QR to scan, or the pairing code to type). */
export interface LinkView {
  state: LinkState;
  /** WhatsApp Web's own connection state (change_state: CONNECTED, CONFLICT, UNPAIRED...). */
  waState: string | null;
  qr: string | null;
  pairingCode: string | null;
  lastDisconnectReason: string | null;
  reconnects: number;
  since: string;
}

/**
 * The linked device: one whatsapp-web.js Client with LocalAuth under DATA_DIR (a restart reuses
 * the session, no new scan), Debian's chromium. Its lifecycle events are tracked for /health and
 * metrics; a disconnect or a failed start is never swallowed: logged, counted, and the Client is
 * rebuilt after a backoff. Customer messages and acks go to the shared inbound/status services.
 */
@Injectable()
export class WebjsConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('whatsapp-webjs');
  private client: WebjsClient | null = null;
  private view: LinkView = {
    state: 'starting',
    waState: null,
    qr: null,
    pairingCode: null,
    lastDisconnectReason: null,
    reconnects: 0,
    since: new Date().toISOString(),
  };
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Acks that arrived before send() learnt the message id (WhatsApp Web can be that quick). */
  private readonly early = new Map<string, number[]>();

  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    @Inject(WEBJS_CLIENT_CTOR) private readonly Client: WebjsClientCtor,
    @Inject(WEBJS_LOCAL_AUTH_CTOR) private readonly LocalAuth: LocalAuthCtor,
    private readonly health: HealthRegistry,
    private readonly inbound: WhatsAppInboundService,
    private readonly statuses: WhatsAppStatusService,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register({ name: 'whatsapp-webjs', check: () => this.view.state === 'ready' });
    this.setState('starting');
    // Not awaited: linking may wait for a person to scan a QR; /health says when we are ready.
    void this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.dispose();
  }

  link(): LinkView {
    return { ...this.view };
  }

  isReady(): boolean {
    return this.view.state === 'ready' && this.client !== null;
  }

  async sendText(chatId: string, text: string): Promise<Message> {
    if (!this.client || !this.isReady()) throw new Error('the linked device is not ready');
    return this.client.sendMessage(chatId, text);
  }

  /** Publishes acks that came before the message id was known. */
  async flushEarlyAcks(providerMessageId: string): Promise<void> {
    const acks = this.early.get(providerMessageId);
    if (!acks) return;
    this.early.delete(providerMessageId);
    for (const ack of acks) await this.onAck(providerMessageId, ack, false);
  }

  private async start(): Promise<void> {
    if (this.stopped) return;
    const client = new this.Client({
      authStrategy: new this.LocalAuth({
        clientId: this.config.WHATSAPP_WEBJS_CLIENT_ID,
        dataPath: this.config.WHATSAPP_WEBJS_DATA_PATH,
      }),
      puppeteer: {
        executablePath: this.config.WHATSAPP_WEBJS_CHROMIUM_PATH,
        args: ['--no-sandbox'],
      },
      ...(this.config.WHATSAPP_WEBJS_PAIRING_NUMBER
        ? {
            pairWithPhoneNumber: {
              phoneNumber: this.config.WHATSAPP_WEBJS_PAIRING_NUMBER.slice(1),
            },
          }
        : {}),
    });
    this.client = client;
    this.wire(client);
    try {
      await client.initialize();
    } catch (e) {
      this.logger.error(
        { msg: 'whatsapp-web.js did not start', code: 'WHATSAPP.WEBJS_START_FAILED' },
        e instanceof Error ? e : undefined,
      );
      await this.restartLater('start_failed');
    }
  }

  private wire(client: WebjsClient): void {
    client.on('qr', (qr: string) => {
      this.view.qr = qr;
      this.setState('qr');
      this.logger.warn({
        msg: 'whatsapp-web.js needs linking: scan the QR shown at GET /whatsapp/link',
      });
    });
    client.on('code', (code: string) => {
      this.view.pairingCode = code;
      this.setState('pairing_code');
      this.logger.warn({
        msg: 'whatsapp-web.js needs linking: enter the pairing code shown at GET /whatsapp/link',
      });
    });
    client.on('authenticated', () => {
      this.view.qr = null;
      this.view.pairingCode = null;
      this.setState('authenticated');
    });
    client.on('auth_failure', () => {
      this.logger.error({
        msg: 'whatsapp-web.js authentication failed',
        code: 'WHATSAPP.WEBJS_AUTH_FAILURE',
      });
      this.setState('auth_failure');
      void this.restartLater('auth_failure');
    });
    client.on('ready', () => {
      this.failures = 0;
      this.setState('ready');
      this.logger.log({ msg: 'whatsapp-web.js ready' });
    });
    client.on('change_state', (state: string) => {
      this.view.waState = String(state);
    });
    client.on('disconnected', (reason: string) => {
      this.view.lastDisconnectReason = String(reason);
      this.setState('disconnected');
      this.logger.error({
        msg: 'whatsapp-web.js disconnected',
        code: 'WHATSAPP.WEBJS_DISCONNECTED',
        reason: String(reason),
      });
      void this.restartLater('disconnected');
    });
    client.on('message', (m: Message) => void this.onMessage(m));
    client.on(
      'message_ack',
      (m: Message, ack: number) => void this.onAck(m.id._serialized, ack, true),
    );
  }

  private async onMessage(m: WebjsMessageLike): Promise<void> {
    if (!isCustomerMessage(m)) return;
    const me = this.client?.info?.wid?.user;
    try {
      await this.inbound.receive(mapWebjsMessage(m, me ? '+' + me : 'whatsapp-web'));
    } catch (e) {
      // WhatsApp Web does not redeliver: the message stays on the phone, and this is an alert.
      this.logger.error(
        {
          msg: 'whatsapp-web.js message not published',
          code: 'WHATSAPP.WEBJS_INBOUND_LOST',
          providerMessageId: loggableId(m.id._serialized),
        },
        e instanceof Error ? e : undefined,
      );
    }
  }

  private async onAck(providerMessageId: string, ack: number, mayWait: boolean): Promise<void> {
    const state = stateOfAck(ack);
    if (!state) return;
    try {
      const known = await this.statuses.fromProvider({
        providerMessageId,
        state,
        ...(state === 'failed' ? { error: ACK_ERROR_FAILURE } : {}),
      });
      if (!known && mayWait) {
        this.early.set(providerMessageId, [...(this.early.get(providerMessageId) ?? []), ack]);
        if (this.early.size > 1000) this.early.delete(this.early.keys().next().value!);
      }
    } catch (e) {
      this.logger.error(
        {
          msg: 'whatsapp-web.js ack not published',
          code: 'WHATSAPP.WEBJS_STATUS_LOST',
          providerMessageId: loggableId(providerMessageId),
        },
        e instanceof Error ? e : undefined,
      );
    }
  }

  private async restartLater(why: string): Promise<void> {
    await this.dispose();
    if (this.stopped || this.timer) return;
    const delay = reconnectDelay(this.config.WHATSAPP_WEBJS_RECONNECT_MS, this.failures++);
    whatsappMetrics.webjsReconnects.inc();
    this.view.reconnects += 1;
    this.logger.warn({ msg: 'whatsapp-web.js reconnecting', why, delayMs: delay });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.start();
    }, delay);
  }

  private async dispose(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.removeAllListeners();
    await client.destroy().catch(() => undefined);
  }

  private setState(state: LinkState): void {
    this.view.state = state;
    this.view.since = new Date().toISOString();
    for (const s of LINK_STATES) whatsappMetrics.webjsState.set({ state: s }, s === state ? 1 : 0);
  }
}
