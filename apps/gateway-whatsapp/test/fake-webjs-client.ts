import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import * as wwebjs from 'whatsapp-web.js';
import type { ClientOptions, Message } from 'whatsapp-web.js';

const { MessageAck, WAState } = wwebjs;
// The library's real Message structure (exported, though its .d.ts declares only the interface):
// what the fake emits is what the real Client emits.
const MessageStructure = (
  wwebjs as unknown as {
    Message: new (client: unknown, data: Record<string, unknown>) => Message;
  }
).Message;

/** Our linked number (the device's wid). */
export const LINKED_USER = '390212345678';

/**
 * The one allowed fake: whatsapp-web.js's Client needs a phone. This one emits the real event
 * names (qr, authenticated, ready, change_state, disconnected, message, message_ack) with the
 * real payloads: Message instances built by the library from WhatsApp Web's raw message data,
 * MessageAck numbers, WAState strings. A "linked" session survives like LocalAuth's folder.
 */
export class FakeWebjsClient extends EventEmitter {
  static readonly instances: FakeWebjsClient[] = [];
  /** Set once a QR was "scanned": later Clients start ready, like a restored LocalAuth session. */
  static linked = false;
  /** The next sends fail with ACK_ERROR instead of being delivered. */
  static failNextSends = 0;

  readonly sent: Array<{ chatId: string; content: string }> = [];
  info: { wid: { user: string; server: string; _serialized: string } } | undefined;
  destroyed = false;

  constructor(readonly options: ClientOptions) {
    super();
    FakeWebjsClient.instances.push(this);
  }

  static get current(): FakeWebjsClient {
    const c = FakeWebjsClient.instances[FakeWebjsClient.instances.length - 1];
    if (!c) throw new Error('no Client was constructed');
    return c;
  }

  static reset(): void {
    FakeWebjsClient.instances.length = 0;
    FakeWebjsClient.linked = false;
    FakeWebjsClient.failNextSends = 0;
  }

  async initialize(): Promise<void> {
    await Promise.resolve();
    if (FakeWebjsClient.linked) {
      this.becomeReady();
    } else if (this.options.pairWithPhoneNumber) {
      // Client.js requests a pairing code instead of showing a QR, and emits it as `code`.
      this.emit('code', 'K7QX-2M9P');
    } else {
      this.emit('qr', '2@' + randomBytes(24).toString('base64') + ',fake-ref');
    }
  }

  /** The operator scanned the QR with the phone. */
  scan(): void {
    FakeWebjsClient.linked = true;
    this.becomeReady();
  }

  /** WhatsApp Web dropped the session (logged out on the phone, or replaced elsewhere). */
  disconnect(state: string = WAState.UNPAIRED): void {
    this.emit('change_state', state);
    this.emit('disconnected', state);
  }

  /** A customer's message arriving (raw WhatsApp Web data → the library's Message). */
  receive(raw: Record<string, unknown>): Message {
    const msg = new MessageStructure(this, raw);
    this.emit('message', msg);
    return msg;
  }

  async sendMessage(chatId: string, content: string): Promise<Message> {
    await Promise.resolve();
    if (this.destroyed) throw new Error('Protocol error (Runtime.callFunctionOn): Target closed.');
    this.sent.push({ chatId, content });
    const id = '3EB0' + randomBytes(8).toString('hex').toUpperCase();
    const msg = new MessageStructure(this, {
      id: { fromMe: true, remote: chatId, id, _serialized: `true_${chatId}_${id}` },
      from: `${LINKED_USER}@c.us`,
      to: chatId,
      body: content,
      type: 'chat',
      t: Math.floor(Date.now() / 1000),
      ack: MessageAck.ACK_PENDING,
    });
    const failing = FakeWebjsClient.failNextSends > 0;
    if (failing) FakeWebjsClient.failNextSends -= 1;
    const acks = failing
      ? [MessageAck.ACK_ERROR]
      : [MessageAck.ACK_SERVER, MessageAck.ACK_DEVICE, MessageAck.ACK_READ];
    setTimeout(() => {
      for (const ack of acks) {
        msg.ack = ack;
        this.emit('message_ack', msg, ack);
      }
    }, 10);
    return msg;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await Promise.resolve();
  }

  private becomeReady(): void {
    this.info = {
      wid: { user: LINKED_USER, server: 'c.us', _serialized: `${LINKED_USER}@c.us` },
    };
    this.emit('authenticated');
    this.emit('change_state', WAState.CONNECTED);
    this.emit('ready');
  }
}

/** Raw WhatsApp Web data of a customer's text message (what Message._patch reads). */
export function rawIncoming(
  fromDigits: string,
  body: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const id = '3A' + randomBytes(9).toString('hex').toUpperCase();
  const remote = `${fromDigits}@c.us`;
  return {
    id: { fromMe: false, remote, id, _serialized: `false_${remote}_${id}` },
    from: remote,
    to: `${LINKED_USER}@c.us`,
    body,
    type: 'chat',
    t: Math.floor(Date.now() / 1000),
    notifyName: 'Giulia',
    ack: MessageAck.ACK_DEVICE,
    ...extra,
  };
}
