import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { IssueLinkCodeRequestV1, IssueLinkCodeResponseV1 } from '@omnigate/contracts';
import { IdentityProofsRepository } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { AppUserService } from './app-user.service';
import { generateLinkCode, hashCode, linkDeepLinks } from './link-code.mapper';

/** Nest token: the key of the codes' hashes at rest (shared by router instances via config). */
export const CODE_HASH_KEY = Symbol('CODE_HASH_KEY');

export function codeHashKeyFrom(config: RouterConfig): string {
  // Without a configured key, codes still work on a single instance (dev).
  return config.IDENTITY_CODE_KEY ?? config.PAN_TOKEN_KEY ?? randomBytes(24).toString('hex');
}

/**
 * Link codes for the logged-in app: the app shows the code (or a deep link), the customer sends
 * it from the channel to link. One live code per customer; only its keyed hash is stored.
 */
@Injectable()
export class LinkCodeService {
  constructor(
    private readonly appUsers: AppUserService,
    private readonly proofs: IdentityProofsRepository,
    @Inject(CODE_HASH_KEY) private readonly hashKey: string,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  async issue(req: IssueLinkCodeRequestV1): Promise<IssueLinkCodeResponseV1> {
    const customerId = await this.appUsers.customerOf(req.appUserId);
    const code = generateLinkCode();
    const expiresAt = new Date(Date.now() + this.config.LINK_CODE_TTL_MS);
    await this.proofs.issueLink({
      customerId,
      codeHash: hashCode(this.hashKey, 'link', code),
      expiresAt,
    });
    return {
      code,
      expiresAt: expiresAt.toISOString(),
      deepLinks: linkDeepLinks(code, {
        telegramBot: this.config.TELEGRAM_BOT_USERNAME,
        whatsappNumber: this.config.WHATSAPP_NUMBER,
      }),
    };
  }
}
