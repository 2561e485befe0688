import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { api, useSession, whenUnauthorized } from './api.client';
import type { Session } from './api.client';
import { LoginPage } from './login.page';
import { InboxPage } from './inbox.page';
import { ApprovalsPage } from './approvals.page';
import { AuditPage } from './audit.page';
import { DeadLettersPage } from './dead-letters.page';

// The dashboard and its charting library load only when a supervisor opens it (its own chunk).
const JourneysPage = lazy(() =>
  import('./journeys.page').then((m) => ({ default: m.JourneysPage })),
);

type Route =
  | { page: 'inbox'; conversationId: string | null }
  | { page: 'approvals' | 'audit' | 'dead-letters' | 'journeys' };

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const conv = /^\/conversations\/([0-9a-f-]{36})$/.exec(path);
  if (conv) return { page: 'inbox', conversationId: conv[1] ?? null };
  if (path === '/approvals') return { page: 'approvals' };
  if (path === '/audit') return { page: 'audit' };
  if (path === '/dead-letters') return { page: 'dead-letters' };
  if (path === '/journeys') return { page: 'journeys' };
  return { page: 'inbox', conversationId: null };
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [checked, setChecked] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));

  const signedIn = useCallback((s: Session | null) => {
    useSession(s);
    setSession(s);
  }, []);

  useEffect(() => {
    whenUnauthorized(() => {
      signedIn(null);
      setNotice('Your session has expired: please sign in again.');
    });
    api<Session>('GET', '/api/me')
      .then((s) => signedIn(s))
      .catch(() => signedIn(null))
      .finally(() => setChecked(true));
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [signedIn]);

  if (!checked) return <p className="loading">Loading…</p>;
  if (!session) {
    return (
      <LoginPage
        notice={notice}
        onSignedIn={(s) => {
          setNotice(null);
          signedIn(s);
        }}
      />
    );
  }
  const canApprove = session.role === 'supervisor' || session.role === 'admin';
  const canAudit = session.role === 'admin' || session.role === 'dpo';
  const logout = () => {
    void api('POST', '/api/logout').finally(() => signedIn(null));
  };
  return (
    <div className="shell">
      <header className="topbar">
        <strong>Omnigate</strong>
        <nav>
          <a href="#/" data-testid="nav-inbox">
            Inbox
          </a>
          {canApprove && (
            <a href="#/approvals" data-testid="nav-approvals">
              Approvals
            </a>
          )}
          {canApprove && (
            <a href="#/dead-letters" data-testid="nav-dead-letters">
              Dead letters
            </a>
          )}
          {canApprove && (
            <a href="#/journeys" data-testid="nav-journeys">
              Journeys
            </a>
          )}
          {canAudit && (
            <a href="#/audit" data-testid="nav-audit">
              Audit log
            </a>
          )}
        </nav>
        <span className="who" data-testid="who">
          {session.agentId} · {session.role}
          {session.role === 'agent' &&
            session.queues.length > 0 &&
            ` · ${session.queues.join(', ')}`}
        </span>
        <button type="button" onClick={logout} data-testid="logout">
          Sign out
        </button>
      </header>
      {route.page === 'inbox' && <InboxPage session={session} openId={route.conversationId} />}
      {route.page === 'approvals' && <ApprovalsPage />}
      {route.page === 'audit' && <AuditPage />}
      {route.page === 'dead-letters' && <DeadLettersPage />}
      {route.page === 'journeys' &&
        (canApprove ? (
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <JourneysPage />
          </Suspense>
        ) : (
          <p className="placeholder" data-testid="journeys-forbidden">
            Journeys are for supervisors and admins.
          </p>
        ))}
    </div>
  );
}
