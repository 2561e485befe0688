import { AgentsRepository } from './agents.repository';
import { ConversationFactsRepository } from './conversation-facts.repository';
import { ConversationRoutingRepository } from './conversation-routing.repository';
import { FraudAlertsRepository } from './fraud-alerts.repository';

/** Fraud alerts, facts, routing and agents (issue 5), provided and exported by RouterStoreModule. */
export const ROUTING_REPOSITORIES = [
  FraudAlertsRepository,
  ConversationFactsRepository,
  ConversationRoutingRepository,
  AgentsRepository,
] as const;
