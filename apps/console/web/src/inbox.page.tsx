import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationEventV1, ConversationSummary, QueueCountV1 } from '@omnigate/contracts';
import { api } from './api.client';
import type { Session } from './api.client';
import { connectLive } from './live.client';
import { ConversationView } from './conversation.view';
import { channelName, errorText, timeOf } from './format';

/** How often, at most, a busy live feed refreshes the list and the queue counts. */
const REFRESH_MS = 500;

interface QueueTotal {
  queue: string;
  waiting: number;
  open: number;
  topPriority: number;
}

/** Per queue: how many wait, how many are open, the highest priority (1 is top) among them. */
function totalsOf(counts: readonly QueueCountV1[]): QueueTotal[] {
  const by = new Map<string, QueueTotal>();
  for (const c of counts) {
    const t = by.get(c.queue) ?? { queue: c.queue, waiting: 0, open: 0, topPriority: 4 };
    t.waiting += c.waiting;
    t.open += c.open;
    if (c.open > 0) t.topPriority = Math.min(t.topPriority, c.priority);
    by.set(c.queue, t);
  }
  return [...by.values()];
}

export function InboxPage(props: { session: Session; openId: string | null }) {
  const [queues, setQueues] = useState<QueueTotal[]>([]);
  const [list, setList] = useState<ConversationSummary[]>([]);
  const [queueFilter, setQueueFilter] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lastEvent, setLastEvent] = useState<ConversationEventV1 | null>(null);
  const timer = useRef<number | null>(null);

  const refresh = useCallback(() => {
    Promise.all([
      api<{ queues: QueueCountV1[] }>('GET', '/api/queues'),
      api<ConversationSummary[]>('GET', '/api/conversations?sort=priority&limit=100'),
    ])
      .then(([q, l]) => {
        setQueues(totalsOf(q.queues));
        setList(l);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  useEffect(() => {
    refresh();
    return connectLive({
      onEvent: (e) => {
        setLastEvent(e);
        // At most one refresh per REFRESH_MS however busy the feed (each is a list read, audited):
        // a burst becomes one refresh, and a steady stream still refreshes.
        if (timer.current !== null) return;
        timer.current = window.setTimeout(() => {
          timer.current = null;
          refresh();
        }, REFRESH_MS);
      },
      onExpired: () => window.location.reload(),
      onConnection: setLive,
    });
  }, [refresh]);

  const shown = queueFilter ? list.filter((c) => c.queue === queueFilter) : list;
  return (
    <div className="inbox">
      <aside className="queues" data-testid="queues">
        <h2>
          Queues <span className={live ? 'dot on' : 'dot'} title={live ? 'live' : 'offline'} />
        </h2>
        <button
          type="button"
          className={queueFilter === null ? 'queue active' : 'queue'}
          onClick={() => setQueueFilter(null)}
        >
          All <span className="count">{list.length}</span>
        </button>
        {queues.map((q) => (
          <button
            type="button"
            key={q.queue}
            data-testid={`queue-${q.queue}`}
            className={queueFilter === q.queue ? 'queue active' : 'queue'}
            onClick={() => setQueueFilter(q.queue)}
          >
            {q.queue}
            <span className="count" title="waiting / open">
              {q.waiting} / {q.open}
            </span>
            {q.open > 0 && <span className={`prio p${q.topPriority}`}>P{q.topPriority}</span>}
          </button>
        ))}
      </aside>
      <section className="list" data-testid="conversation-list">
        {error && <p className="error">{error}</p>}
        {shown.length === 0 && <p className="empty">No open conversations.</p>}
        {shown.map((c) => (
          <a
            key={c.id}
            href={`#/conversations/${c.id}`}
            data-testid="conversation-item"
            data-conversation-id={c.id}
            className={c.id === props.openId ? 'item active' : 'item'}
          >
            <span className="name">{c.customer.displayName ?? 'Unknown contact'}</span>
            {!c.customer.verified && <span className="tag warn">unverified</span>}
            {c.priority !== undefined && (
              <span className={`prio p${c.priority}`}>P{c.priority}</span>
            )}
            <span className="meta">
              {channelName(c.lastChannel)} · {timeOf(c.lastMessageAt)}
              {c.queue && ` · ${c.queue}`}
            </span>
            <span className="preview">{c.lastMessagePreview}</span>
          </a>
        ))}
      </section>
      {props.openId ? (
        <ConversationView
          key={props.openId}
          id={props.openId}
          session={props.session}
          lastEvent={lastEvent}
        />
      ) : (
        <section className="placeholder">Pick a conversation.</section>
      )}
    </div>
  );
}
