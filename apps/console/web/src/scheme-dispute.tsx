import { CARD_SCHEMES } from '@omnigate/contracts';
import type { CardScheme, CustomerContextV1, TicketClockView } from '@omnigate/contracts';
import { api } from './api.client';
import { amount, errorText, timeOf } from './format';
import { clockLine } from './ticket-clock.mapper';
import { processedOnOf, reasonOptions, takesDeliveryDate } from './scheme-dispute.mapper';
import type { SchemeFields } from './scheme-dispute.mapper';

const SCHEME_NAMES: Record<CardScheme, string> = { visa: 'Visa', mastercard: 'Mastercard' };

/**
 * A card dispute's scheme, reason and the transaction's processing date (filled from one of the
 * customer's recent transactions, or typed), for the scheme's own deadline.
 */
export function SchemeDisputeFields(props: {
  value: SchemeFields;
  onChange: (f: SchemeFields) => void;
  transactions: CustomerContextV1['recentTransactions'];
}) {
  const f = props.value;
  const set = (more: Partial<SchemeFields>) => props.onChange({ ...f, ...more });
  const pickScheme = (scheme: CardScheme | '') =>
    set({ scheme, reason: scheme ? (reasonOptions(scheme)[0]?.value ?? '') : '' });
  return (
    <fieldset className="scheme-dispute" data-testid="scheme-dispute-fields">
      <select
        value={f.scheme}
        onChange={(e) => pickScheme(e.target.value as CardScheme | '')}
        data-testid="scheme-select"
      >
        <option value="">no card scheme deadline</option>
        {CARD_SCHEMES.map((s) => (
          <option key={s} value={s}>
            {SCHEME_NAMES[s]}
          </option>
        ))}
      </select>
      {f.scheme !== '' && (
        <>
          <select value={f.reason} onChange={(e) => set({ reason: e.target.value })}>
            {reasonOptions(f.scheme).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {props.transactions.length > 0 && (
            <select
              value=""
              onChange={(e) => {
                const t = props.transactions.find((x) => x.id === e.target.value);
                if (t) set({ processedOn: processedOnOf(t.at) });
              }}
            >
              <option value="">fill the date from a transaction…</option>
              {props.transactions.map((t) => (
                <option key={t.id} value={t.id}>
                  {timeOf(t.at)} · {t.merchant} · {amount(t.amountMinor, t.currency)}
                </option>
              ))}
            </select>
          )}
          <label>
            processed on{' '}
            <input
              type="date"
              required
              value={f.processedOn}
              onChange={(e) => set({ processedOn: e.target.value })}
            />
          </label>
          {takesDeliveryDate(f.scheme, f.reason) && (
            <label>
              delivery / credit receipt date{' '}
              <input
                type="date"
                value={f.deliveryOn}
                onChange={(e) => set({ deliveryOn: e.target.value })}
              />
            </label>
          )}
        </>
      )}
    </fieldset>
  );
}

/** The scheme clock: time left to raise the dispute with the scheme, and the button that stops it. */
export function SchemeClock(props: {
  ticketId: string;
  conversationId: string;
  scheme: CardScheme;
  reason: string | null;
  clock: TicketClockView;
  onChanged: () => void;
  onError: (text: string) => void;
}) {
  const { clock } = props;
  const line = clockLine(clock);
  const name = SCHEME_NAMES[props.scheme];
  const raised = () => {
    if (!window.confirm(`Record that the dispute was raised with ${name}?`)) return;
    api('POST', `/api/tickets/${props.ticketId}/scheme-raised`, {
      conversationId: props.conversationId,
    })
      .then(props.onChanged)
      .catch((e: unknown) => props.onError(errorText(e)));
  };
  return (
    <div className="ticket-clock" data-testid="scheme-clock" data-state={clock.state}>
      <span className={`tag ${line.tone}`} title={`due ${timeOf(clock.dueAt)}`}>
        {line.text}
      </span>{' '}
      <small>
        {props.reason ? `${name} ${props.reason}, ` : ''}due {timeOf(clock.dueAt)}
      </small>
      {!clock.stoppedAt && (
        <button type="button" onClick={raised} data-testid="scheme-raised">
          Raised with {name}
        </button>
      )}
    </div>
  );
}
