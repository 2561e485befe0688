import { defineRequest } from './bus-declarations';
import {
  CardActionRequestV1Schema,
  CardActionResponseV1Schema,
  DecideApprovalRequestV1Schema,
  DecideApprovalResponseV1Schema,
  ListApprovalsRequestV1Schema,
  ListApprovalsResponseV1Schema,
  TicketActionRequestV1Schema,
  TicketActionResponseV1Schema,
} from './commands/actions.v1';
import {
  AppConsentsResponseV1Schema,
  GetAppConsentsRequestV1Schema,
  SetAppConsentRequestV1Schema,
} from './commands/app-consent.v1';
import {
  CustomerExportV1Schema,
  EraseCustomerRequestV1Schema,
  ErasureResultV1Schema,
  ExportCustomerRequestV1Schema,
  GetCustomerConsentsRequestV1Schema,
  SetCustomerConsentsRequestV1Schema,
} from './commands/customer-data.v1';
import {
  RedriveDeadLettersRequestV1Schema,
  RedriveDeadLettersResponseV1Schema,
} from './commands/dead-letters.v1';
import {
  RebuildJourneysRequestV1Schema,
  RebuildJourneysResponseV1Schema,
} from './commands/journeys.v1';
import {
  DecideStepUpRequestV1Schema,
  DecideStepUpResponseV1Schema,
  IssueLinkCodeRequestV1Schema,
  IssueLinkCodeResponseV1Schema,
  UnlinkIdentityRequestV1Schema,
  UnlinkIdentityResponseV1Schema,
} from './commands/identity.v1';
import {
  GetContextRequestV1Schema,
  GetContextResponseV1Schema,
  SendReplyRequestV1Schema,
  SendReplyResponseV1Schema,
} from './commands/router-rpc.v1';
import {
  ListQueuesRequestV1Schema,
  ListQueuesResponseV1Schema,
  SetAgentPresenceRequestV1Schema,
  SetAgentPresenceResponseV1Schema,
  SetControlRequestV1Schema,
  SetControlResponseV1Schema,
} from './commands/routing.v1';
import {
  AppConversationRequestV1Schema,
  AppConversationResponseV1Schema,
  AppHistoryRequestV1Schema,
  AppHistoryResponseV1Schema,
  AppReceiptsRequestV1Schema,
  AppReceiptsResponseV1Schema,
  ConversationAppUsersRequestV1Schema,
  ConversationAppUsersResponseV1Schema,
} from './commands/app-conversation.v1';
import {
  VaultCardOfRequestV1Schema,
  VaultCardOfResponseV1Schema,
  VaultEraseCardsRequestV1Schema,
  VaultEraseCardsResponseV1Schema,
  VaultRevealRequestV1Schema,
  VaultRevealResponseV1Schema,
} from './commands/vault.v1';
import { Subjects } from './subjects';

/**
 * Everything the router answers on core-NATS request-reply (queue group `router`), one
 * declaration per subject. Callers: the console and the in-app gateway (their NATS users may
 * publish only their own share of these subjects: tools/nats-permissions.ts).
 */
export const RouterRequests = {
  sendReply: defineRequest({
    subject: Subjects.rpc.sendReply,
    request: SendReplyRequestV1Schema,
    response: SendReplyResponseV1Schema,
  }),
  getContext: defineRequest({
    subject: Subjects.rpc.getContext,
    request: GetContextRequestV1Schema,
    response: GetContextResponseV1Schema,
  }),
  issueLinkCode: defineRequest({
    subject: Subjects.rpc.issueLinkCode,
    request: IssueLinkCodeRequestV1Schema,
    response: IssueLinkCodeResponseV1Schema,
  }),
  unlinkIdentity: defineRequest({
    subject: Subjects.rpc.unlinkIdentity,
    request: UnlinkIdentityRequestV1Schema,
    response: UnlinkIdentityResponseV1Schema,
  }),
  decideStepUp: defineRequest({
    subject: Subjects.rpc.decideStepUp,
    request: DecideStepUpRequestV1Schema,
    response: DecideStepUpResponseV1Schema,
  }),
  cardAction: defineRequest({
    subject: Subjects.rpc.cardAction,
    request: CardActionRequestV1Schema,
    response: CardActionResponseV1Schema,
  }),
  ticketAction: defineRequest({
    subject: Subjects.rpc.ticketAction,
    request: TicketActionRequestV1Schema,
    response: TicketActionResponseV1Schema,
  }),
  decideApproval: defineRequest({
    subject: Subjects.rpc.decideApproval,
    request: DecideApprovalRequestV1Schema,
    response: DecideApprovalResponseV1Schema,
  }),
  listApprovals: defineRequest({
    subject: Subjects.rpc.listApprovals,
    request: ListApprovalsRequestV1Schema,
    response: ListApprovalsResponseV1Schema,
  }),
  setControl: defineRequest({
    subject: Subjects.rpc.setControl,
    request: SetControlRequestV1Schema,
    response: SetControlResponseV1Schema,
  }),
  setAgentPresence: defineRequest({
    subject: Subjects.rpc.setAgentPresence,
    request: SetAgentPresenceRequestV1Schema,
    response: SetAgentPresenceResponseV1Schema,
  }),
  listQueues: defineRequest({
    subject: Subjects.rpc.listQueues,
    request: ListQueuesRequestV1Schema,
    response: ListQueuesResponseV1Schema,
  }),
  getAppConsents: defineRequest({
    subject: Subjects.rpc.getAppConsents,
    request: GetAppConsentsRequestV1Schema,
    response: AppConsentsResponseV1Schema,
  }),
  setAppConsent: defineRequest({
    subject: Subjects.rpc.setAppConsent,
    request: SetAppConsentRequestV1Schema,
    response: AppConsentsResponseV1Schema,
  }),
  /** The console's share of a customer's data: the router owns those tables and writes them. */
  getCustomerConsents: defineRequest({
    subject: Subjects.rpc.getCustomerConsents,
    request: GetCustomerConsentsRequestV1Schema,
    response: AppConsentsResponseV1Schema,
  }),
  setCustomerConsents: defineRequest({
    subject: Subjects.rpc.setCustomerConsents,
    request: SetCustomerConsentsRequestV1Schema,
    response: AppConsentsResponseV1Schema,
  }),
  exportCustomer: defineRequest({
    subject: Subjects.rpc.exportCustomer,
    request: ExportCustomerRequestV1Schema,
    response: CustomerExportV1Schema,
  }),
  eraseCustomer: defineRequest({
    subject: Subjects.rpc.eraseCustomer,
    request: EraseCustomerRequestV1Schema,
    response: ErasureResultV1Schema,
  }),
  /** A supervisor's or admin's redrive, carried out by the router (it may publish the originals). */
  redriveDeadLetters: defineRequest({
    subject: Subjects.rpc.redriveDeadLetters,
    request: RedriveDeadLettersRequestV1Schema,
    response: RedriveDeadLettersResponseV1Schema,
  }),
  /** An operator's rebuild of the journey projection (the router replays CONV_EVENTS). */
  rebuildJourneys: defineRequest({
    subject: Subjects.rpc.rebuildJourneys,
    request: RebuildJourneysRequestV1Schema,
    response: RebuildJourneysResponseV1Schema,
  }),
  /** The in-app gateway's view of the app user's one conversation (it holds no database). */
  appHistory: defineRequest({
    subject: Subjects.rpc.appHistory,
    request: AppHistoryRequestV1Schema,
    response: AppHistoryResponseV1Schema,
  }),
  appReceipts: defineRequest({
    subject: Subjects.rpc.appReceipts,
    request: AppReceiptsRequestV1Schema,
    response: AppReceiptsResponseV1Schema,
  }),
  appConversation: defineRequest({
    subject: Subjects.rpc.appConversation,
    request: AppConversationRequestV1Schema,
    response: AppConversationResponseV1Schema,
  }),
  conversationAppUsers: defineRequest({
    subject: Subjects.rpc.conversationAppUsers,
    request: ConversationAppUsersRequestV1Schema,
    response: ConversationAppUsersResponseV1Schema,
  }),
} as const;

/**
 * What the card vault answers (queue group `vault`): a number only to the console's user, a card's
 * stable token (never the number) to router and console.
 */
export const VaultRequests = {
  reveal: defineRequest({
    subject: Subjects.rpc.vaultReveal,
    request: VaultRevealRequestV1Schema,
    response: VaultRevealResponseV1Schema,
  }),
  cardOf: defineRequest({
    subject: Subjects.rpc.vaultCardOf,
    request: VaultCardOfRequestV1Schema,
    response: VaultCardOfResponseV1Schema,
  }),
  eraseCards: defineRequest({
    subject: Subjects.rpc.vaultEraseCards,
    request: VaultEraseCardsRequestV1Schema,
    response: VaultEraseCardsResponseV1Schema,
  }),
} as const;

/** Every request subject, whoever answers it (golden schemas, the once-only check). */
export const AllRequests = { ...RouterRequests, ...VaultRequests } as const;
