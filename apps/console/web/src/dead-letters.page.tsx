import { useCallback, useEffect, useState } from 'react';
import { api } from './api.client';
import { errorText, timeOf } from './format';

/** As the API gives it: masked (bodies as their length, addresses as a tail). */
interface DeadLetter {
  id: number;
  stream: string;
  consumer: string;
  subject: string;
  deliveryCount: number;
  error: { code: string; message: string };
  payload: string;
  at: string;
}

interface RedriveAnswer {
  redriven: number;
  outcomes: Array<{ id: number; result: string }>;
}

/** What the services gave up on, and the redrive that puts it back (supervisor, admin). */
export function DeadLettersPage() {
  const [entries, setEntries] = useState<DeadLetter[]>([]);
  const [total, setTotal] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ entries: DeadLetter[]; total: number }>('GET', '/api/dead-letters?limit=100')
      .then((r) => {
        setEntries(r.entries);
        setTotal(r.total);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const redrive = (body: { id: number } | { all: true }) => {
    api<RedriveAnswer>('POST', '/api/dead-letters/redrive', body)
      .then((r) => {
        const refused = r.outcomes.filter((o) => o.result !== 'redriven');
        setNotice(
          `${r.redriven} redriven` +
            (refused.length ? `, ${refused.length} refused (${refused[0]?.result})` : ''),
        );
        load();
      })
      .catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <main className="page" data-testid="dead-letters-page">
      <h1>Dead letters ({total})</h1>
      <p>
        <button type="button" disabled={total === 0} onClick={() => redrive({ all: true })}>
          Redrive all
        </button>
      </p>
      {notice && <p className="tag ok">{notice}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>When</th>
            <th>Consumer</th>
            <th>Why</th>
            <th>Message (masked)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="dead-letter-row">
              <td>{e.id}</td>
              <td>{timeOf(e.at)}</td>
              <td className="mono">
                {e.stream}/{e.consumer} ×{e.deliveryCount}
              </td>
              <td>
                <span className="mono">{e.error.code}</span> {e.error.message}
              </td>
              <td className="mono">{e.payload.slice(0, 300)}</td>
              <td>
                <button type="button" onClick={() => redrive({ id: e.id })}>
                  Redrive
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
