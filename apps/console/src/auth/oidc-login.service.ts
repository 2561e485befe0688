import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import { safeEqual } from '@omnigate/crypto';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { oidcSettings } from '../config/console-oidc.config';
import type { OidcSettings } from '../config/console-oidc.config';
import { accountFromClaims } from './accounts.mapper';
import {
  ConsoleUnauthorizedError,
  OidcNotConfiguredError,
  OidcStateInvalidError,
  OidcUnavailableError,
} from './auth.errors';
import { AuthService } from './auth.service';
import type { LoginResult } from './auth.service';
import { Clock } from './clock.port';
import { TOTP_ROLES } from './totp.service';
import { OIDC_STATE_COOKIE, serializeCookie } from './cookie.mapper';
import { openSignedValue, signValue } from './signed-value';

const STATE_TTL_MS = 10 * 60_000;
const HTTP_TIMEOUT_MS = 5000;
const STATE_PURPOSE = 'oidc-state';
export const OIDC_COOKIE_PATH = '/api/auth/oidc';

const DiscoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});
type Discovery = z.infer<typeof DiscoverySchema>;

const TokenResponseSchema = z.object({ id_token: z.string().min(1) });

const PendingLoginSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  exp: z.number(),
});
type PendingLogin = z.infer<typeof PendingLoginSchema>;

/** What the callback receives from the provider (query string). */
export interface OidcCallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

const random = (): string => randomBytes(32).toString('base64url');
const s256 = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');
/** A display name worth showing (preferred_username): never an id. */
const USERNAME = /^[A-Za-z0-9._@+-]{1,128}$/;

/** RFC 8176 methods that are, or include, a second factor. */
const SECOND_FACTOR_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'mca']);

/** Whether the id_token's `amr` shows a second factor. Pure. */
export function showsSecondFactor(amr: unknown): boolean {
  return Array.isArray(amr) && amr.some((m) => typeof m === 'string' && SECOND_FACTOR_AMR.has(m));
}

/**
 * An OIDC user's console id: `oidc:` + SHA-256 of (issuer, subject), the pair OIDC guarantees
 * stable and unique (Core §5.7); preferred_username is neither (the user or an admin can change
 * it, and it could name a local account). A local id cannot contain `:`, so the two never meet.
 * Pure.
 */
export function oidcAgentId(issuer: string, subject: string): string {
  const digest = createHash('sha256').update(`${issuer}\n${subject}`).digest('base64url');
  return `oidc:${digest.slice(0, 32)}`;
}

/**
 * OpenID Connect login (authorization code + PKCE S256, confidential client). The state, nonce
 * and code verifier travel in a short-lived signed cookie (nothing stored server-side, so any
 * console instance completes the login); the id_token is verified with the provider's JWKS
 * (issuer, audience, expiry, nonce). The role and queues come from the token's claims.
 */
@Injectable()
export class OidcLoginService {
  private readonly logger = new Logger('console-oidc');
  private readonly settings: OidcSettings | null;
  private readonly secret: string;
  private readonly secureCookie: boolean;
  private discovery?: Promise<{ doc: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> }>;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly auth: AuthService,
    private readonly clock: Clock,
  ) {
    this.settings = oidcSettings(config);
    this.secret = config.CONSOLE_SESSION_SECRET;
    this.secureCookie = config.CONSOLE_COOKIE_SECURE;
  }

  get enabled(): boolean {
    return this.settings !== null;
  }

  /** The provider's authorization URL and the cookie that remembers this login attempt. */
  async start(loginHint?: string): Promise<{ location: string; cookie: string }> {
    const s = this.require();
    const { doc } = await this.discover();
    const pending: PendingLogin = {
      state: random(),
      nonce: random(),
      verifier: random(),
      exp: this.clock.now() + STATE_TTL_MS,
    };
    const url = new URL(doc.authorization_endpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: s.clientId,
      redirect_uri: s.redirectUrl,
      scope: 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: s256(pending.verifier),
      code_challenge_method: 'S256',
    };
    if (loginHint && loginHint.length <= 256) params['login_hint'] = loginHint;
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    // Lax, not Strict: the provider sends the browser back with a cross-site navigation.
    const cookie = serializeCookie(
      OIDC_STATE_COOKIE,
      signValue(this.secret, STATE_PURPOSE, pending),
      {
        path: OIDC_COOKIE_PATH,
        sameSite: 'Lax',
        maxAgeSec: STATE_TTL_MS / 1000,
        secure: this.secureCookie,
      },
    );
    return { location: url.toString(), cookie };
  }

  /** Completes the login: code exchange, id_token verification, the console session. */
  async callback(
    query: OidcCallbackQuery,
    stateCookie: string | undefined,
    ip: string,
  ): Promise<LoginResult> {
    const s = this.require();
    if (query.error) {
      const code = /^[a-z_]{1,64}$/.test(query.error) ? query.error : 'error';
      throw new ConsoleUnauthorizedError(`the identity provider refused the sign-in (${code})`);
    }
    const pending = this.openPending(stateCookie);
    if (!query.state || !safeEqual(query.state, pending.state)) {
      throw new OidcStateInvalidError('the state does not match this browser’s sign-in');
    }
    if (!query.code) throw new OidcStateInvalidError('the provider sent no code');
    const { doc, jwks } = await this.discover();
    const idToken = await this.exchange(s, doc, query.code, pending.verifier);
    const claims = await this.verifyIdToken(s, jwks, idToken, pending.nonce);
    const rights = accountFromClaims(claims, s.roleClaim, s.queuesClaim);
    if ('problem' in rights) {
      this.logger.warn({ msg: 'oidc login refused', code: 'CONSOLE.UNAUTHORIZED' });
      throw new ConsoleUnauthorizedError(rights.problem);
    }
    if (s.requireMfa && TOTP_ROLES.includes(rights.role) && !showsSecondFactor(claims['amr'])) {
      this.logger.warn({ msg: 'oidc login refused', code: 'CONSOLE.UNAUTHORIZED', why: 'amr' });
      throw new ConsoleUnauthorizedError(
        `the role ${rights.role} needs a second factor at the identity provider (amr shows none)`,
      );
    }
    const sub = claims.sub;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) {
      throw new ConsoleUnauthorizedError('the identity token has no usable subject');
    }
    const agentId = oidcAgentId(s.issuer, sub);
    const name = claims['preferred_username'];
    const displayName = typeof name === 'string' && USERNAME.test(name) ? name : agentId;
    return this.auth.start({ agentId, displayName, ...rights }, 'oidc', ip);
  }

  /** Deletes the login-attempt cookie once used. */
  clearedStateCookie(): string {
    return serializeCookie(OIDC_STATE_COOKIE, '', {
      path: OIDC_COOKIE_PATH,
      sameSite: 'Lax',
      maxAgeSec: 0,
      secure: this.secureCookie,
    });
  }

  private require(): OidcSettings {
    if (!this.settings) throw new OidcNotConfiguredError();
    return this.settings;
  }

  private openPending(cookie: string | undefined): PendingLogin {
    const parsed = PendingLoginSchema.safeParse(
      cookie ? openSignedValue(this.secret, STATE_PURPOSE, cookie) : null,
    );
    if (!parsed.success) throw new OidcStateInvalidError('no sign-in was started in this browser');
    if (parsed.data.exp <= this.clock.now()) {
      throw new OidcStateInvalidError('the sign-in took too long');
    }
    return parsed.data;
  }

  /** Discovery once per process; a failure is not cached, the next login tries again. */
  private discover(): Promise<{ doc: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> }> {
    const s = this.require();
    this.discovery ??= (async () => {
      const url = `${s.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const doc = DiscoverySchema.safeParse(await getJson(url));
      if (!doc.success) throw new OidcUnavailableError('the discovery document is malformed');
      if (doc.data.issuer !== s.issuer) {
        throw new OidcUnavailableError('the discovery document names another issuer');
      }
      const jwks = createRemoteJWKSet(new URL(doc.data.jwks_uri), {
        timeoutDuration: HTTP_TIMEOUT_MS,
      });
      return { doc: doc.data, jwks };
    })();
    this.discovery.catch(() => (this.discovery = undefined));
    return this.discovery;
  }

  private async exchange(
    s: OidcSettings,
    doc: Discovery,
    code: string,
    verifier: string,
  ): Promise<string> {
    const basic = Buffer.from(
      `${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`,
    ).toString('base64');
    const res = await fetchOrFail(doc.token_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: s.redirectUrl,
        code_verifier: verifier,
      }).toString(),
    });
    if (res.status === 400 || res.status === 401) {
      // invalid_grant (code used, expired, PKCE mismatch) or invalid_client: not transient.
      const body = (await res.json().catch(() => ({}))) as { error?: unknown };
      const error =
        typeof body.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? body.error : 'error';
      throw new OidcStateInvalidError(`the provider refused the code (${error})`);
    }
    if (!res.ok) throw new OidcUnavailableError(`the token endpoint answered ${res.status}`);
    const parsed = TokenResponseSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new OidcUnavailableError('the token response has no id_token');
    return parsed.data.id_token;
  }

  private async verifyIdToken(
    s: OidcSettings,
    jwks: ReturnType<typeof createRemoteJWKSet>,
    idToken: string,
    nonce: string,
  ): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, jwks, {
        issuer: s.issuer,
        audience: s.clientId,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        currentDate: new Date(this.clock.now()),
      }));
    } catch (e) {
      const code = (e as { code?: string }).code;
      // The provider's keys could not be fetched: an outage, not a bad token.
      if (code === 'ERR_JWKS_TIMEOUT' || !code) {
        throw new OidcUnavailableError('its signing keys cannot be fetched', e);
      }
      this.logger.warn({ msg: 'id_token refused', code });
      throw new ConsoleUnauthorizedError('the identity token is not valid');
    }
    if (typeof payload.nonce !== 'string' || !safeEqual(payload.nonce, nonce)) {
      throw new ConsoleUnauthorizedError('the identity token was not issued for this sign-in');
    }
    return payload;
  }
}

async function fetchOrFail(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch (e) {
    throw new OidcUnavailableError(`cannot reach ${new URL(url).host}`, e);
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetchOrFail(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new OidcUnavailableError(`${new URL(url).pathname} answered ${res.status}`);
  return res.json().catch(() => null);
}
