import { Injectable, Logger } from '@nestjs/common';
import type {
  AppConsentsResponseV1,
  GetAppConsentsRequestV1,
  SetAppConsentRequestV1,
} from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { ConsentsRepository, ConversationsRepository } from '@omnigate/store';
import { ConversationEventsService } from '../events/conversation-events.service';
import { AppUserService } from '../identity/app-user.service';
import { appConsentEventId, toAppConsents } from './app-consent.mapper';
import { ConsentEventsService } from './consent-events.service';

const appChanges = counter(
  'omnigate_router_consent_app_total',
  'Consent decisions the customer made in the app',
  ['channel', 'purpose', 'granted'],
);

/**
 * The customer's own consent, read and set from the app. The app user is resolved to the
 * customer exactly as for link codes (the bank says who it is). A decision is stored with source
 * 'app', newest wins (like keywords), and shown to agents on the open conversation, if any.
 */
@Injectable()
export class AppConsentService {
  private readonly logger = new Logger('consent');

  constructor(
    private readonly appUsers: AppUserService,
    private readonly consents: ConsentsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly events: ConversationEventsService,
    private readonly consentEvents: ConsentEventsService,
  ) {}

  async list(req: GetAppConsentsRequestV1): Promise<AppConsentsResponseV1> {
    const customerId = await this.appUsers.customerOf(req.appUserId);
    return toAppConsents(await this.consents.listForCustomer(customerId));
  }

  async set(req: SetAppConsentRequestV1): Promise<AppConsentsResponseV1> {
    const customerId = await this.appUsers.customerOf(req.appUserId);
    const at = new Date();
    const { channel, purpose, granted } = req;
    await this.consents.record([
      { customerId, channel, purpose, granted, source: 'app', updatedBy: null, at },
    ]);
    await this.consentEvents.changed(customerId, [{ channel, purpose, granted }], 'app', at);
    appChanges.inc({ channel, purpose, granted: String(granted) });
    this.logger.log({ msg: 'consent set in the app', customerId, channel, purpose, granted });
    // Recorded before the console hears of it, as for keywords.
    const open = await this.conversations.findOpenForCustomer(customerId);
    if (open) {
      await this.events.consentDecided(
        open.id,
        appConsentEventId(customerId, { channel, purpose, at }),
        { channel, purpose, granted, source: 'app' },
      );
    }
    return toAppConsents(await this.consents.listForCustomer(customerId));
  }
}
