import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ConversationEventV1,
  ConversationSummary,
  CustomerContextV1,
  MessageView,
} from '@omnigate/contracts';
import { api } from './api.client';
import type { Session } from './api.client';
import { ContextPanel } from './context.panel';
import { ReplyBox } from './reply.box';
import { MessageText } from './message-text';
import { channelName, errorText, timeOf } from './format';

const RELOAD_MS = 300;

const CONTROL: Record<string, string> = {
  bot_active: 'the bot answers',
  pending: 'waiting for an agent',
  agent_active: 'an agent answers',
  released: 'released',
};

interface Timeline {
  conversation: ConversationSummary;
  messages: MessageView[];
}

/** What an agent reads for a message's warning flags (libs/contracts MessageView.flags). */
const FLAG_TEXT: Record<string, string> = {
  email_dmarc_fail: 'Sender not proven (DMARC failed): anyone could have written this From',
  email_dmarc_unaligned: 'Sender not proven (DMARC passed for another domain)',
  email_dmarc_unverified: 'Sender not proven (no DMARC pass)',
  email_command_refused:
    'Link or consent command ignored: the sender is not proven (the sender was told so)',
};

export function ConversationView(props: {
  id: string;
  session: Session;
  lastEvent: ConversationEventV1 | null;
}) {
  const { id, lastEvent } = props;
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [context, setContext] = useState<CustomerContextV1 | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [controlError, setControlError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<Timeline>('GET', `/api/conversations/${id}`)
      .then((t) => {
        setTimeline(t);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)));
    api<CustomerContextV1>('GET', `/api/conversations/${id}/context`)
      .then(setContext)
      .catch(() => setContext(null));
  }, [id]);

  useEffect(load, [load]);
  // Events of this conversation (a message, its statuses, a routing change) reload it, at most
  // once per RELOAD_MS: the context read goes to the router and core banking.
  const timer = useRef<number | null>(null);
  useEffect(() => {
    if (lastEvent?.conversationId !== id || timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      load();
    }, RELOAD_MS);
  }, [lastEvent, id, load]);
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const control = (action: 'take_over' | 'hand_back' | 'release') => {
    setControlError(null);
    api('POST', `/api/conversations/${id}/control`, { action })
      .then(load)
      .catch((e: unknown) => setControlError(errorText(e)));
  };

  if (error) {
    return (
      <section className="conversation" data-testid="conversation-error">
        <p className="error" role="alert">
          {error}
        </p>
      </section>
    );
  }
  if (!timeline) return <section className="conversation">Loading…</section>;
  const c = timeline.conversation;
  return (
    <>
      <section className="conversation" data-testid="conversation">
        <header>
          <h2 data-testid="conversation-customer">{c.customer.displayName ?? 'Unknown contact'}</h2>
          <span className="meta">
            {c.queue && `queue ${c.queue}`} {c.priority !== undefined && `· P${c.priority}`}{' '}
            {c.control && `· ${CONTROL[c.control]}`}
            {c.assignedAgent && ` · ${c.assignedAgent}`}
          </span>
          <span className="actions">
            <button type="button" onClick={() => control('take_over')} data-testid="take-over">
              Take over
            </button>
            <button type="button" onClick={() => control('hand_back')} data-testid="hand-back">
              Hand back to bot
            </button>
            <button type="button" onClick={() => control('release')}>
              Release
            </button>
          </span>
          {controlError && <p className="error">{controlError}</p>}
        </header>
        <ol className="timeline" data-testid="timeline">
          {timeline.messages.map((m) => (
            <li
              key={m.id}
              className={`msg ${m.direction} ${m.author.kind}`}
              data-testid="timeline-message"
              data-channel={m.channel}
              data-direction={m.direction}
            >
              <div className="msg-meta">
                <span className={`chan ${m.channel}`}>{channelName(m.channel)}</span>
                <span>
                  {m.author.kind === 'customer' ? 'customer' : (m.author.id ?? m.author.kind)}
                </span>
                <time dateTime={m.createdAt}>{timeOf(m.createdAt)}</time>
                {m.status && (
                  <span className={`status ${m.status}`} data-testid="message-status">
                    {m.status}
                  </span>
                )}
              </div>
              <div className="msg-text" data-testid="message-text">
                <MessageText text={m.text} />
              </div>
              {m.statusError && <p className="error">{m.statusError.reason}</p>}
              {m.flags?.map((f) => (
                <p className="tag warn" key={f}>
                  {FLAG_TEXT[f] ?? f}
                </p>
              ))}
              {m.attachments.length > 0 && (
                <ul className="attachments">
                  {m.attachments.map((a, i) => (
                    <li key={i} data-testid="attachment">
                      📎{' '}
                      {a.ref.startsWith('att:') ? (
                        <a href={`/api/conversations/${id}/messages/${m.id}/attachments/${i}`}>
                          {a.filename ?? a.kind}
                        </a>
                      ) : (
                        <span title="held by the provider">{a.filename ?? a.kind}</span>
                      )}{' '}
                      ({a.mimeType}, {Math.ceil(a.size / 1024)} KB)
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
        <ReplyBox conversation={c} messages={timeline.messages} onSent={load} />
      </section>
      <ContextPanel
        conversationId={id}
        context={context}
        onChanged={load}
        session={props.session}
      />
    </>
  );
}
