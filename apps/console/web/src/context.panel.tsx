import { useState } from 'react';
import type { CustomerContextV1 } from '@omnigate/contracts';
import { api } from './api.client';
import type { Session } from './api.client';
import { amount, channelName, errorText, timeOf } from './format';
import { CardActions } from './card-actions';
import { TicketClock, TicketOpenForm } from './ticket-clock';
import { SchemeClock } from './scheme-dispute';

const BLOCKED_BY: Record<string, string> = {
  fraud_engine: 'the fraud engine',
  customer: 'the customer',
  bank: 'the bank',
};

export function ContextPanel(props: {
  conversationId: string;
  context: CustomerContextV1 | null;
  session: Session;
  onChanged: () => void;
}) {
  const ctx = props.context;
  const [ticketError, setTicketError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  if (!ctx) return <aside className="context">No customer context.</aside>;

  const resolve = (ticketId: string) => {
    const resolution = window.prompt('Resolution, told to the customer in the app and by SMS');
    if (!resolution) return;
    api('POST', `/api/tickets/${ticketId}/resolve`, {
      resolution,
      conversationId: props.conversationId,
    })
      .then(props.onChanged)
      .catch((e: unknown) => setTicketError(errorText(e)));
  };

  return (
    <aside className="context" data-testid="context-panel">
      <section>
        <h3>Customer</h3>
        <p data-testid="context-customer">
          {ctx.customer.displayName ?? 'Unknown contact'}{' '}
          {ctx.customer.verified ? (
            <span className="tag ok">verified</span>
          ) : (
            <span className="tag warn">unverified</span>
          )}
        </p>
        {!ctx.available && (
          <p className="tag warn" data-testid="context-unavailable">
            Context unavailable: {ctx.unavailableReason}
          </p>
        )}
        {ctx.assurance && (
          <p data-testid="context-assurance">
            Assurance <strong>{ctx.assurance.level}</strong>
            {ctx.assurance.expiresAt && ` until ${timeOf(ctx.assurance.expiresAt)}`}
          </p>
        )}
        {ctx.kycStatus && <p>KYC: {ctx.kycStatus}</p>}
        {ctx.missingDocuments && ctx.missingDocuments.length > 0 && (
          <p>Missing documents: {ctx.missingDocuments.join(', ')}</p>
        )}
      </section>
      <section>
        <h3>Linked channels</h3>
        <ul data-testid="context-channels">
          {ctx.linkedChannels.map((l) => (
            <li key={`${l.channel}:${l.address}`}>
              {channelName(l.channel)} {l.address} · {l.assurance}
              {l.linkMethod && ` · ${l.linkMethod}`}
            </li>
          ))}
        </ul>
      </section>
      {ctx.fraudAlerts && ctx.fraudAlerts.length > 0 && (
        <section>
          <h3>Fraud alerts</h3>
          <ul data-testid="context-fraud-alerts">
            {ctx.fraudAlerts.map((a) => (
              <li key={a.id} className="alert">
                {a.kind.replace(/_/g, ' ')} · {timeOf(a.occurredAt)} · {a.status}
                {a.linked && ' · linked to this conversation'}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h3>Cards</h3>
        <ul data-testid="context-cards">
          {ctx.cards.map((card) => (
            <li key={card.id} data-testid="context-card" data-card-id={card.id}>
              {card.brand} •••• {card.last4} ·{' '}
              <strong className={card.status === 'blocked' ? 'blocked' : 'active'}>
                {card.status}
              </strong>
              {card.blockedBy && ` by ${BLOCKED_BY[card.blockedBy] ?? card.blockedBy}`}
              {card.blockReason && ` (${card.blockReason})`}
              <CardActions
                conversationId={props.conversationId}
                card={card}
                onDone={props.onChanged}
              />
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>Recent transactions</h3>
        <table data-testid="context-transactions">
          <tbody>
            {ctx.recentTransactions.map((t) => (
              <tr key={t.id}>
                <td>{timeOf(t.at)}</td>
                <td>{t.merchant}</td>
                <td className="num">{amount(t.amountMinor, t.currency)}</td>
                <td>{t.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h3>
          Open tickets{' '}
          <button type="button" onClick={() => setOpening(!opening)} data-testid="ticket-open">
            Open ticket
          </button>
        </h3>
        {opening && (
          <TicketOpenForm
            conversationId={props.conversationId}
            transactions={ctx.recentTransactions}
            onDone={() => {
              setOpening(false);
              props.onChanged();
            }}
            onError={setTicketError}
          />
        )}
        <ul data-testid="context-tickets">
          {ctx.openTickets.map((t) => (
            <li key={t.id}>
              {t.subject} · {t.status}{' '}
              <button type="button" onClick={() => resolve(t.id)}>
                Resolve
              </button>
              {t.clock && (
                <TicketClock
                  ticketId={t.id}
                  conversationId={props.conversationId}
                  clock={t.clock}
                  onChanged={props.onChanged}
                  onError={setTicketError}
                />
              )}
              {t.schemeClock && t.cardScheme && (
                <SchemeClock
                  ticketId={t.id}
                  conversationId={props.conversationId}
                  scheme={t.cardScheme}
                  reason={t.schemeReason ?? null}
                  clock={t.schemeClock}
                  onChanged={props.onChanged}
                  onError={setTicketError}
                />
              )}
            </li>
          ))}
        </ul>
        {ticketError && <p className="error">{ticketError}</p>}
      </section>
      {ctx.providedFacts && ctx.providedFacts.length > 0 && (
        <section>
          <h3>Already provided</h3>
          <dl data-testid="context-facts">
            {ctx.providedFacts.map((f) => (
              <div key={f.key}>
                <dt>{f.key.replace(/_/g, ' ')}</dt>
                <dd>{f.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </aside>
  );
}
