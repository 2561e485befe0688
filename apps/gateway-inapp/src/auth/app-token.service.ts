import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JWTVerifyOptions, JWTVerifyResult } from 'jose';
import { INAPP_CONFIG, jwtKeySourceOf } from '../config/gateway-inapp.config';
import type { GatewayInappConfig } from '../config/gateway-inapp.config';
import { principalFromClaims } from './app-principal.mapper';
import type { AppPrincipal } from './app-principal.mapper';
import {
  InappAuthUnavailableError,
  InappTokenExpiredError,
  InappTokenInvalidError,
  InappUnauthorizedError,
} from './inapp-auth.errors';

const MAX_TOKEN_LENGTH = 8192;
/** Errors that mean the IdP's key set could not be read, not that the token is bad. */
const KEY_SOURCE_DOWN = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC']);

/** Checks the app's login JWT: HS256 with a shared secret, or RS256/ES256 against the IdP's JWKS. */
@Injectable()
export class AppTokenService {
  private readonly verifyJwt: (token: string) => Promise<JWTVerifyResult>;
  private readonly remote: boolean;

  constructor(@Inject(INAPP_CONFIG) config: GatewayInappConfig) {
    const source = jwtKeySourceOf(config);
    const claims: JWTVerifyOptions = {
      requiredClaims: ['exp', 'sub'],
      ...(config.INAPP_JWT_ISSUER ? { issuer: config.INAPP_JWT_ISSUER } : {}),
      ...(config.INAPP_JWT_AUDIENCE ? { audience: config.INAPP_JWT_AUDIENCE } : {}),
    };
    this.remote = source.kind === 'jwks';
    if (source.kind === 'secret') {
      const key = new TextEncoder().encode(source.secret);
      this.verifyJwt = (token) => jwtVerify(token, key, { ...claims, algorithms: ['HS256'] });
    } else {
      // jose caches the key set and refetches it on an unknown kid (rate-limited by cooldown).
      const jwks = createRemoteJWKSet(new URL(source.url), {
        timeoutDuration: 3000,
        cooldownDuration: 30_000,
      });
      this.verifyJwt = (token) =>
        jwtVerify(token, jwks, { ...claims, algorithms: ['RS256', 'ES256'] });
    }
  }

  async verify(token: unknown): Promise<AppPrincipal> {
    if (token === undefined || token === null || token === '') throw new InappUnauthorizedError();
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
      throw new InappTokenInvalidError('auth.token must be a compact JWT string');
    }
    let result: JWTVerifyResult;
    try {
      result = await this.verifyJwt(token);
    } catch (e) {
      throw this.translate(e);
    }
    return principalFromClaims(result.payload);
  }

  private translate(e: unknown): Error {
    if (e instanceof errors.JWTExpired) return new InappTokenExpiredError(e);
    if (this.remote && (!(e instanceof errors.JOSEError) || KEY_SOURCE_DOWN.has(e.code))) {
      return new InappAuthUnavailableError(e);
    }
    const reason = e instanceof errors.JOSEError ? e.code : 'unreadable token';
    return new InappTokenInvalidError(`the login token was refused (${reason})`, e);
  }
}
