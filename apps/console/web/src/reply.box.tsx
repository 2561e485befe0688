import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Channel, ConversationSummary, MessageView } from '@omnigate/contracts';
import { api, idempotencyKey } from './api.client';
import { channelLimit, defaultReplyChannel } from './channel-limits';
import { channelName, errorText } from './format';

export function ReplyBox(props: {
  conversation: ConversationSummary;
  messages: MessageView[];
  onSent: () => void;
}) {
  const { conversation, messages } = props;
  const fallback = defaultReplyChannel(messages, conversation.lastChannel);
  const [channel, setChannel] = useState<Channel>(fallback);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(idempotencyKey);

  // Follow the customer to the channel they used last, until the agent picks one.
  const [picked, setPicked] = useState(false);
  useEffect(() => {
    if (!picked) setChannel(fallback);
  }, [fallback, picked]);

  const limit = channelLimit(channel, text, messages, Date.now());
  const send = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api('POST', `/api/conversations/${conversation.id}/messages`, {
      text,
      channel,
      idempotencyKey: key,
    })
      .then(() => {
        setText('');
        setKey(idempotencyKey());
        props.onSent();
      })
      .catch((err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false));
  };

  return (
    <form className="reply" onSubmit={send} data-testid="reply-box">
      <div className="reply-head">
        <label>
          Reply on{' '}
          <select
            data-testid="reply-channel"
            value={channel}
            onChange={(e) => {
              setPicked(true);
              setChannel(e.target.value as Channel);
            }}
          >
            {conversation.channels.map((ch) => (
              <option key={ch} value={ch}>
                {channelName(ch)}
              </option>
            ))}
          </select>
        </label>
        <span
          className={limit.blocking || limit.warn ? 'limit blocking' : 'limit'}
          data-testid="reply-limit"
        >
          {limit.summary}
        </span>
      </div>
      <textarea
        data-testid="reply-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={3}
        placeholder="Write a reply…"
      />
      {error && (
        <p className="error" role="alert" data-testid="reply-error">
          {error}
        </p>
      )}
      <button
        type="submit"
        data-testid="reply-send"
        disabled={busy || text.trim().length === 0 || limit.blocking}
      >
        Send
      </button>
    </form>
  );
}
