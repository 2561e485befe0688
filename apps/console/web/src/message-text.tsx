import { splitCardTokens } from './message-text.mapper';

/** A message as text (React escapes it): card tokens shown as masked cards, never as numbers. */
export function MessageText(props: { text: string }) {
  return (
    <>
      {splitCardTokens(props.text).map((s, i) =>
        s.kind === 'text' ? (
          <span key={i}>{s.text}</span>
        ) : (
          <span key={i} className="card-token" title={s.token} data-testid="card-token">
            💳 {s.brand} •••• {s.last4}
          </span>
        ),
      )}
    </>
  );
}
