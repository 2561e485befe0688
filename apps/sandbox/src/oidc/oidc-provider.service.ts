import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK, KeyLike } from 'jose';
import { safeEqual } from '@omnigate/crypto';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { userClaims } from '../config/oidc-users.mapper';
import type { OidcUser } from '../config/oidc-users.mapper';

const CODE_TTL_MS = 60_000;

/** An OAuth error as the token endpoint answers it (RFC 6749 §5.2). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  challenge: string;
  user: OidcUser;
  issuer: string;
  exp: number;
}

export interface AuthorizeRequest {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  nonce?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  login_hint?: string;
}

/**
 * The OpenID Connect stand-in's rules: authorization codes (single use, 60 s, bound to client,
 * redirect URI and PKCE S256 challenge) for the user `login_hint` names, auto-approved; id_tokens
 * signed RS256 with a key generated at start. State lives in memory, like the other stand-ins.
 */
@Injectable()
export class OidcProviderService implements OnModuleInit {
  private readonly codes = new Map<string, PendingCode>();
  private privateKey!: KeyLike;
  private jwk!: JWK;
  private readonly kid = randomBytes(8).toString('hex');

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  async onModuleInit(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    this.privateKey = privateKey;
    this.jwk = { ...(await exportJWK(publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  issuerFor(host: string | undefined): string {
    return this.config.SANDBOX_OIDC_ISSUER ?? `http://${host ?? '127.0.0.1'}/oidc`;
  }

  discovery(issuer: string): Record<string, unknown> {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'profile'],
      claims_supported: ['sub', 'preferred_username', 'omnigate_role', 'omnigate_queues'],
    };
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.jwk] };
  }

  /**
   * Where to send the browser: the redirect URI with `code` (or `error`) and `state`. Throws
   * OAuthError when the redirect URI itself cannot be trusted (then the page shows the error).
   */
  authorize(q: AuthorizeRequest, issuer: string): string {
    if (q.client_id !== this.config.SANDBOX_OIDC_CLIENT_ID) {
      throw new OAuthError('unauthorized_client', 'unknown client_id');
    }
    const redirect = q.redirect_uri ?? '';
    const allowed = this.config.SANDBOX_OIDC_REDIRECT_URIS;
    if (!/^https?:\/\//.test(redirect) || (allowed.length > 0 && !allowed.includes(redirect))) {
      throw new OAuthError('invalid_request', 'redirect_uri is not registered');
    }
    const back = (params: Record<string, string>): string => {
      const url = new URL(redirect);
      for (const [k, v] of Object.entries({ ...params, ...(q.state && { state: q.state }) })) {
        url.searchParams.set(k, v);
      }
      return url.toString();
    };
    if (q.response_type !== 'code') return back({ error: 'unsupported_response_type' });
    if (!(q.scope ?? '').split(' ').includes('openid')) return back({ error: 'invalid_scope' });
    if (q.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge ?? '')) {
      return back({ error: 'invalid_request', error_description: 'PKCE S256 is required' });
    }
    const user = this.config.SANDBOX_OIDC_USERS.find((u) => u.id === q.login_hint);
    if (!user) return back({ error: 'access_denied' });
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      clientId: q.client_id,
      redirectUri: redirect,
      nonce: q.nonce,
      challenge: q.code_challenge!,
      user,
      issuer,
      exp: Date.now() + CODE_TTL_MS,
    });
    return back({ code });
  }

  /** The token endpoint: client authentication, the code once, PKCE, then the id_token. */
  async token(
    form: Record<string, string | undefined>,
    basic: { id: string; secret: string } | null,
  ): Promise<Record<string, unknown>> {
    const clientId = basic?.id ?? form['client_id'];
    const secret = basic?.secret ?? form['client_secret'] ?? '';
    if (
      clientId !== this.config.SANDBOX_OIDC_CLIENT_ID ||
      !safeEqual(secret, this.config.SANDBOX_OIDC_CLIENT_SECRET)
    ) {
      throw new OAuthError('invalid_client', 'client authentication failed', 401);
    }
    if (form['grant_type'] !== 'authorization_code') {
      throw new OAuthError('unsupported_grant_type', 'only authorization_code');
    }
    const code = form['code'] ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.exp < Date.now() || pending.clientId !== clientId) {
      throw new OAuthError('invalid_grant', 'the code is unknown, used or expired');
    }
    if (form['redirect_uri'] !== pending.redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
    }
    const verifier = form['code_verifier'] ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!safeEqual(challenge, pending.challenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const idToken = await new SignJWT({
      ...userClaims(pending.user, this.config.SANDBOX_OIDC_PASSWORD_ONLY.includes(pending.user.id)),
      ...(pending.nonce && { nonce: pending.nonce }),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(pending.issuer)
      .setAudience(clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(this.privateKey);
    return {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: idToken,
    };
  }
}
