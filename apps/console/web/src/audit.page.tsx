import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from './api.client';
import { errorText, timeOf } from './format';

interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, string | number | boolean>;
}

const FIELDS = ['actor', 'action', 'subject', 'customerId'] as const;
type Filters = Record<(typeof FIELDS)[number], string>;
const NO_FILTERS: Filters = { actor: '', action: '', subject: '', customerId: '' };

/** The admin's search over the hash-chained audit log, with the chain's state. */
export function AuditPage() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [brokenAt, setBrokenAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const search = useCallback((f: Filters) => {
    const q = new URLSearchParams({ limit: '100' });
    for (const k of FIELDS) if (f[k].trim()) q.set(k, f[k].trim());
    api<{ chainBrokenAt: number | null; entries: AuditEntry[] }>('GET', `/api/audit?${q}`)
      .then((r) => {
        setEntries(r.entries);
        setBrokenAt(r.chainBrokenAt);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(() => search(NO_FILTERS), [search]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    search(filters);
  };

  return (
    <main className="page" data-testid="audit-page">
      <h1>Audit log</h1>
      <p data-testid="audit-chain" className={brokenAt === null ? 'tag ok' : 'tag warn'}>
        {brokenAt === null
          ? 'Hash chain intact'
          : `Hash chain broken at record ${brokenAt}: the log was altered`}
      </p>
      <form onSubmit={submit} className="filters">
        {FIELDS.map((k) => (
          <label key={k}>
            {k}
            <input
              data-testid={`audit-${k}`}
              value={filters[k]}
              onChange={(e) => setFilters({ ...filters, [k]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit" data-testid="audit-search">
          Search
        </button>
      </form>
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
            <th>Who</th>
            <th>What</th>
            <th>Subject</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-testid="audit-row">
              <td>{e.seq}</td>
              <td>{timeOf(e.at)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td className="mono">{e.subject}</td>
              <td className="mono">
                {Object.entries(e.detail)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(' ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
