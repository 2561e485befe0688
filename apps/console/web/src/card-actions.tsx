import { useState } from 'react';
import { ApiError, api, idempotencyKey } from './api.client';
import { errorText } from './format';

interface CardLike {
  id: string;
  status: 'active' | 'blocked';
  blockedBy: string | null;
}

/**
 * Block / unblock. The guard lives in the router: a fraud-engine block is not undone by an agent
 * alone. A refusal is shown as the server states it (what is missing, who must approve).
 */
export function CardActions(props: { conversationId: string; card: CardLike; onDone: () => void }) {
  const { card } = props;
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const action = card.status === 'blocked' ? 'unblock' : 'block';

  const act = () => {
    const reason = window.prompt(`Why ${action} this card? (kept in the audit log)`);
    if (!reason) return;
    setBusy(true);
    setRefusal(null);
    api('POST', `/api/conversations/${props.conversationId}/cards/${card.id}/${action}`, {
      reason,
      idempotencyKey: idempotencyKey(),
    })
      .then(props.onDone)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL') {
          setRefusal(`Refused: ${e.message}`);
        } else {
          setRefusal(errorText(e));
        }
      })
      .finally(() => setBusy(false));
  };

  return (
    <div className="card-actions">
      <button
        type="button"
        onClick={act}
        disabled={busy}
        data-testid={`card-${action}`}
        className={card.blockedBy === 'fraud_engine' && action === 'unblock' ? 'guarded' : ''}
      >
        {action === 'block' ? 'Block card' : 'Unblock card'}
      </button>
      {card.blockedBy === 'fraud_engine' && action === 'unblock' && !refusal && (
        <span className="hint">Fraud block: needs strong authentication or a supervisor.</span>
      )}
      {refusal && (
        <p className="error" role="alert" data-testid="card-action-refused">
          {refusal}
        </p>
      )}
    </div>
  );
}
