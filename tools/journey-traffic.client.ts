import { randomUUID } from 'node:crypto';
import type {
  ConversationSummary,
  CustomerContextV1,
  MessageView,
  TicketActionResponseV1,
} from '@omnigate/contracts';
import type { TrafficChannel } from './journey-traffic.plan';

/**
 * The HTTP edges the traffic command plays through, and nothing else: the sandbox's customer
 * simulator (signed provider webhooks, the app's socket, SMTP), the sandbox core banking's control
 * API (the fraud engine's signals), and the console API as an agent uses it (bearer login).
 */

export class TrafficHttpError extends Error {
  readonly code = 'TRAFFIC.HTTP';
  constructor(
    readonly status: number,
    what: string,
    detail: string,
  ) {
    super(`${what}: HTTP ${status} ${detail.slice(0, 300)}`);
    this.name = 'TrafficHttpError';
  }
}

async function call<T>(what: string, url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new Error(`${what}: nothing answers at ${new URL(url).origin} (is npm start running?)`, {
      cause: e,
    });
  }
  const text = await res.text();
  if (!res.ok) throw new TrafficHttpError(res.status, what, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export interface ConversationTimeline {
  conversation: ConversationSummary;
  messages: MessageView[];
}

/** The console API with one agent's bearer token. */
export class ConsoleAgentClient {
  private constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  static async login(
    base: string,
    agentId: string,
    password: string,
    totp?: string,
  ): Promise<ConsoleAgentClient> {
    const body = { agentId, password, ...(totp ? { totp } : {}) };
    const r = await call<{ token: string }>(`login as ${agentId}`, `${base}/api/login`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    return new ConsoleAgentClient(base, r.token);
  }

  private req<T>(what: string, method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(what, `${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : JSON_HEADERS),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  conversations(): Promise<ConversationSummary[]> {
    return this.req('list conversations', 'GET', '/api/conversations?status=all&limit=200');
  }

  timeline(id: string): Promise<ConversationTimeline> {
    return this.req('read a conversation', 'GET', `/api/conversations/${id}`);
  }

  context(id: string): Promise<CustomerContextV1> {
    return this.req('read a context', 'GET', `/api/conversations/${id}/context`);
  }

  reply(id: string, text: string): Promise<unknown> {
    return this.req('reply', 'POST', `/api/conversations/${id}/messages`, {
      text,
      idempotencyKey: randomUUID(),
    });
  }

  openTicket(id: string, subject: string, kind: 'complaint' | 'other') {
    return this.req<TicketActionResponseV1>(
      'open a ticket',
      'POST',
      `/api/conversations/${id}/tickets`,
      {
        subject,
        kind,
        jurisdiction: 'IT',
      },
    );
  }

  resolveTicket(ticketId: string, conversationId: string, resolution: string) {
    return this.req<TicketActionResponseV1>(
      'resolve a ticket',
      'POST',
      `/api/tickets/${ticketId}/resolve`,
      {
        conversationId,
        resolution,
      },
    );
  }

  control(id: string, action: 'take_over' | 'release'): Promise<unknown> {
    return this.req(`${action} a conversation`, 'POST', `/api/conversations/${id}/control`, {
      action,
    });
  }
}

export type SimulatorTarget = { persona: string } | { address: string };

/** The sandbox: the customer simulator and core banking's controls. */
export class SandboxClient {
  constructor(
    private readonly base: string,
    private readonly coreApiKey: string,
  ) {}

  /** `sentAt`: the provider's stamp of when the customer sent it (WhatsApp, Telegram). */
  send(
    channel: TrafficChannel,
    who: SimulatorTarget,
    text: string,
    sentAt?: Date,
  ): Promise<unknown> {
    return call('the customer writes', `${this.base}/simulator/api/send`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        channel,
        ...who,
        text,
        ...(sentAt ? { sentAt: sentAt.toISOString() } : {}),
      }),
    });
  }

  private core<T>(what: string, method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(what, `${this.base}/core/v1/_control${path}`, {
      method,
      headers: { authorization: `Bearer ${this.coreApiKey}`, ...JSON_HEADERS },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  fraudBlock(b: { customerId: string; cardId: string; merchant: string; amountMinor: number }) {
    return this.core<{ event: { id: string } }>('fraud engine block', 'POST', '/fraud-block', b);
  }

  /** Whether core banking's webhook reached the router (it answers once the event is on the bus). */
  async delivered(eventId: string): Promise<boolean> {
    const r = await this.core<{ events: Array<{ event: { id: string }; delivered: boolean }> }>(
      'core events',
      'GET',
      '/events',
    );
    return r.events.some((e) => e.event.id === eventId && e.delivered);
  }
}
