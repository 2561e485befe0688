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

/**
 * The console reads what its own screens show (the inbox, a timeline with statuses, an attachment
 * download) and the data keys to open it. Everything else about a customer it gets from the
 * router (context, consents, export), and every change it asks the router to make: it writes no
 * router table.
 */
const INBOX = 'the inbox and a timeline show conversations with their customer to agents';
const JOURNEYS = 'the journey dashboard counts flows, context losses, resolutions and clocks';
const TIMELINE = 'a timeline shows every message and its delivery statuses to agents';

export const TABLE_ACCESS: Record<string, TableAccess> = {
  customers: { owner: 'router', reads: { console: INBOX } },
  conversations: { owner: 'router', reads: { console: INBOX } },
  messages: { owner: 'router', reads: { console: TIMELINE } },
  message_status_events: { owner: 'router', reads: { console: TIMELINE } },
  data_keys: {
    owner: 'router',
    reads: {
      console: 'the console opens what it shows with the customer data keys (never writes one)',
    },
  },
  email_attachments: {
    owner: 'router',
    reads: { console: 'agents download attachments through the console' },
  },
  channel_identities: { owner: 'router' },
  tickets: { owner: 'router' },
  consents: { owner: 'router' },
  legal_holds: { owner: 'router' },
  identity_proofs: { owner: 'router' },
  fraud_alerts: { owner: 'router' },
  approvals: { owner: 'router' },
  agents: { owner: 'router' },
  conversation_facts: { owner: 'router' },
  // The journey projection (issue 15): the router writes it from the conversation events, the
  // console's dashboard (supervisors, admins) counts it. Channels, times, kinds: no text, no value.
  journey_conversations: { owner: 'router', reads: { console: JOURNEYS } },
  journey_switches: { owner: 'router', reads: { console: JOURNEYS } },
  journey_context_losses: { owner: 'router', reads: { console: JOURNEYS } },
  journey_handoffs: { owner: 'router', reads: { console: JOURNEYS } },
  journey_meta: { owner: 'router', reads: { console: JOURNEYS } },
  journey_events: { owner: 'router' },
  vault_cards: { owner: 'vault' },
  vault_refs: { owner: 'vault' },
  vault_audit: { owner: 'vault' },
  // Console accounts (issue 13): sessions, login lockouts and TOTP secrets, the console's alone.
  console_sessions: { owner: 'console' },
  console_login_failures: { owner: 'console' },
  console_totp: { owner: 'console' },
  audit_log: {
    owner: 'console',
    appends: {
      router:
        'the router records the actions it carries out (unblocks, links, erasure) in the same chain',
    },
  },
};
