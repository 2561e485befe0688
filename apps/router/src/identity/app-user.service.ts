import { Injectable } from '@nestjs/common';
import { IdentitiesRepository } from '@omnigate/store';
import type { NewLink } from '@omnigate/store';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import { AppUserNotFoundError } from './identity.errors';

/**
 * The logged-in app user as our customer. Used by every request the app makes through the
 * in-app gateway (link codes, consents): the gateway verified the JWT, the bank says who it is.
 */
@Injectable()
export class AppUserService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly coreBanking: CoreBankingPort,
  ) {}

  /**
   * The customer id of the app user, its in-app address linked on the way.
   * Throws IDENTITY.APP_USER_NOT_FOUND (→ 404) when the bank does not know the app user.
   */
  async customerOf(appUserId: string): Promise<string> {
    const core = await this.coreBanking.findCustomerByAppUser(appUserId);
    if (!core || core.appUserId !== appUserId) throw new AppUserNotFoundError();
    const known = await this.identities.findActive('inapp', appUserId);
    if (known?.identity.status === 'linked' && known.customer.coreRef === core.id) {
      return known.customer.id;
    }
    const link: NewLink = {
      channel: 'inapp',
      address: appUserId,
      coreRef: core.id,
      displayName: core.fullName,
      linkMethod: 'app_jwt',
      assurance: 'app_session',
    };
    if (known?.identity.status === 'unverified') {
      return (await this.identities.upgradeContact(known.identity.id, link)).customer.id;
    }
    // Linked to another bank customer before: the bank now says otherwise, the bank wins.
    if (known) await this.identities.revoke(known.identity.id);
    return (await this.identities.link(link)).customer.id;
  }
}
