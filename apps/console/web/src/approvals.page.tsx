import { useCallback, useEffect, useState } from 'react';
import type { ApprovalView } from '@omnigate/contracts';
import { api } from './api.client';
import { errorText, timeOf } from './format';

/** The supervisor's screen: pending requests (a fraud-block unblock, a step-up) to approve or reject. */
export function ApprovalsPage() {
  const [approvals, setApprovals] = useState<ApprovalView[]>([]);
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    const q = status === 'pending' ? '?status=pending' : '';
    api<{ approvals: ApprovalView[] }>('GET', `/api/approvals${q}`)
      .then((r) => {
        setApprovals(r.approvals);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [status]);
  useEffect(load, [load]);

  const decide = (id: string, verb: 'approve' | 'reject') => {
    const reason = window.prompt(`Reason to ${verb} (optional)`) ?? undefined;
    api('POST', `/api/approvals/${id}/${verb}`, reason ? { reason } : {})
      .then(load)
      .catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <main className="page" data-testid="approvals-page">
      <h1>Approvals</h1>
      <label>
        Show{' '}
        <select value={status} onChange={(e) => setStatus(e.target.value as 'pending' | 'all')}>
          <option value="pending">pending</option>
          <option value="all">all</option>
        </select>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>Asked</th>
            <th>What</th>
            <th>Requested by</th>
            <th>Status</th>
            <th>Expires</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {approvals.map((a) => (
            <tr key={a.id} data-testid="approval-row" data-approval-id={a.id}>
              <td>{timeOf(a.createdAt)}</td>
              <td>
                {a.kind === 'unblock_card' ? `unblock card ${a.target}` : `step-up to ${a.target}`}
                {a.conversationId && (
                  <>
                    {' '}
                    <a href={`#/conversations/${a.conversationId}`}>conversation</a>
                  </>
                )}
              </td>
              <td>{a.requestedBy}</td>
              <td>
                {a.status}
                {a.decidedBy && ` by ${a.decidedBy}`}
              </td>
              <td>{timeOf(a.expiresAt)}</td>
              <td>
                {a.status === 'pending' && (
                  <>
                    <button
                      type="button"
                      onClick={() => decide(a.id, 'approve')}
                      data-testid="approve"
                    >
                      Approve
                    </button>
                    <button type="button" onClick={() => decide(a.id, 'reject')}>
                      Reject
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
