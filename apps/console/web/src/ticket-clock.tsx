import { useState } from 'react';
import type { FormEvent } from 'react';
import { DISPUTE_TYPES, JURISDICTIONS, TICKET_KINDS } from '@omnigate/contracts';
import type { CustomerContextV1, TicketClockView } from '@omnigate/contracts';
import { api } from './api.client';
import { errorText, timeOf } from './format';
import { clockLine } from './ticket-clock.mapper';
import { NO_SCHEME, schemeBody } from './scheme-dispute.mapper';
import type { SchemeFields } from './scheme-dispute.mapper';
import { SchemeDisputeFields } from './scheme-dispute';

/** A ticket's regulatory clock: time left, a warning before the breach, the holding reply. */
export function TicketClock(props: {
  ticketId: string;
  conversationId: string;
  clock: TicketClockView;
  onChanged: () => void;
  onError: (text: string) => void;
}) {
  const { clock } = props;
  const line = clockLine(clock);
  const holdingReply = () => {
    if (!window.confirm('Record that the holding reply was sent to the customer?')) return;
    api('POST', `/api/tickets/${props.ticketId}/holding-reply`, {
      conversationId: props.conversationId,
    })
      .then(props.onChanged)
      .catch((e: unknown) => props.onError(errorText(e)));
  };
  return (
    <div className="ticket-clock" data-testid="ticket-clock" data-state={clock.state}>
      <span className={`tag ${line.tone}`} title={`due ${timeOf(clock.dueAt)}`}>
        {line.text}
      </span>{' '}
      <small>due {timeOf(clock.dueAt)}</small>
      {clock.extendableTo && (
        <button type="button" onClick={holdingReply} data-testid="ticket-holding-reply">
          Holding reply sent (to {timeOf(clock.extendableTo)})
        </button>
      )}
    </div>
  );
}

/** Opens a ticket; a complaint or card dispute starts its clock in the chosen jurisdiction. */
export function TicketOpenForm(props: {
  conversationId: string;
  /** The customer's recent transactions: a card dispute's processing date can come from one. */
  transactions: CustomerContextV1['recentTransactions'];
  onDone: () => void;
  onError: (text: string) => void;
}) {
  const [subject, setSubject] = useState('');
  const [kind, setKind] = useState<(typeof TICKET_KINDS)[number]>('complaint');
  const [disputeType, setDisputeType] = useState<(typeof DISPUTE_TYPES)[number]>('unauthorised');
  const [jurisdiction, setJurisdiction] = useState<(typeof JURISDICTIONS)[number]>('IT');
  const [scheme, setScheme] = useState<SchemeFields>(NO_SCHEME);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    api('POST', `/api/conversations/${props.conversationId}/tickets`, {
      subject,
      kind,
      jurisdiction,
      ...(kind === 'card_dispute' ? { disputeType, ...schemeBody(scheme) } : {}),
    })
      .then(props.onDone)
      .catch((err: unknown) => props.onError(errorText(err)));
  };
  return (
    <form className="ticket-open" onSubmit={submit} data-testid="ticket-open-form">
      <input
        required
        maxLength={200}
        placeholder="Subject"
        value={subject}
        onChange={(e) => setSubject(e.target.value)}
      />
      <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
        {TICKET_KINDS.map((k) => (
          <option key={k} value={k}>
            {k.replace('_', ' ')}
          </option>
        ))}
      </select>
      {kind === 'card_dispute' && (
        <select
          value={disputeType}
          onChange={(e) => setDisputeType(e.target.value as typeof disputeType)}
        >
          {DISPUTE_TYPES.map((d) => (
            <option key={d} value={d}>
              {d.replace('_', ' ')}
            </option>
          ))}
        </select>
      )}
      {kind === 'card_dispute' && (
        <SchemeDisputeFields
          value={scheme}
          onChange={setScheme}
          transactions={props.transactions}
        />
      )}
      <select
        value={jurisdiction}
        onChange={(e) => setJurisdiction(e.target.value as typeof jurisdiction)}
      >
        {JURISDICTIONS.map((j) => (
          <option key={j} value={j}>
            {j}
          </option>
        ))}
      </select>
      <button type="submit">Open</button>
    </form>
  );
}
