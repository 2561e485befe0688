import type { DbRole } from './db-roles';

/**
 * Who may do what with each table. Every table has exactly one owner (the app that writes it);
 * another role gets a read or an append grant only with the reason written here (the README
 * repeats them). `npm run migrate` turns this into GRANTs; nobody but the migrator owns a table, so
 * no app can run DDL. A table without an entry fails the unit test beside this file.
 */
export interface TableAccess {
  owner: DbRole;
  /** SELECT for another role, with why. */
  reads?: Partial<Record<DbRole, string>>;
  /** INSERT (and SELECT, for the hash chain) for another role, with why. */
  appends?: Partial<Record<DbRole, string>>;
}

const AGENT_VIEWS = 'the console shows conversations, their messages and context to agents';

export const TABLE_ACCESS: Record<string, TableAccess> = {
  customers: { owner: 'router', reads: { console: AGENT_VIEWS } },
  channel_identities: { owner: 'router', reads: { console: AGENT_VIEWS } },
  conversations: { owner: 'router', reads: { console: AGENT_VIEWS } },
  messages: { owner: 'router', reads: { console: AGENT_VIEWS } },
  message_status_events: { owner: 'router', reads: { console: AGENT_VIEWS } },
  tickets: { owner: 'router', reads: { console: AGENT_VIEWS } },
  opt_outs: { owner: 'router', reads: { console: AGENT_VIEWS } },
  data_keys: {
    owner: 'router',
    reads: { console: 'the console decrypts what it shows with the customer data keys' },
  },
  consents: { owner: 'router', reads: { console: AGENT_VIEWS } },
  legal_holds: { owner: 'router', reads: { console: AGENT_VIEWS } },
  identity_proofs: { owner: 'router', reads: { console: AGENT_VIEWS } },
  fraud_alerts: { owner: 'router', reads: { console: AGENT_VIEWS } },
  approvals: { owner: 'router', reads: { console: AGENT_VIEWS } },
  agents: { owner: 'router', reads: { console: AGENT_VIEWS } },
  conversation_facts: { owner: 'router', reads: { console: AGENT_VIEWS } },
  email_attachments: {
    owner: 'router',
    reads: { console: 'agents download attachments through the console' },
  },
  email_messages: { owner: 'router' },
  card_vault: { owner: 'vault' },
  vault_cards: { owner: 'vault' },
  vault_refs: { owner: 'vault' },
  vault_audit: { owner: 'vault' },
  audit_log: {
    owner: 'console',
    appends: {
      router: 'the router records the actions it carries out (unblocks, links) in the same chain',
    },
  },
};
