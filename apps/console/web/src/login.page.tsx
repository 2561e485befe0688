import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from './api.client';
import type { Session } from './api.client';
import { errorText } from './format';

export function LoginPage(props: { notice: string | null; onSignedIn: (s: Session) => void }) {
  const [agentId, setAgentId] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const code = totp.replace(/\s+/g, '');
    api<Session>('POST', '/api/login', { agentId, password, ...(code && { totp: code }) })
      .then((s) => props.onSignedIn(s))
      .catch((err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false));
  };

  return (
    <main className="login">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Omnigate console</h1>
        {props.notice && <p className="notice">{props.notice}</p>}
        <label>
          Agent id
          <input
            data-testid="login-agent"
            autoComplete="username"
            value={agentId}
            onChange={(e) => setAgentId(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <label>
          Authenticator code <small>(supervisor, admin, dpo)</small>
          <input
            data-testid="login-totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            value={totp}
            onChange={(e) => setTotp(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="login-submit">
          Sign in
        </button>
        <a className="oidc" href="/api/auth/oidc/start">
          Sign in with your company account (OIDC)
        </a>
      </form>
    </main>
  );
}
