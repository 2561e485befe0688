/**
 * The router's tables, for tests of other apps that talk to the router (the in-app gateway's
 * tests seed the conversations it asks the router about). Only tests import this.
 */
export { IdentitiesRepository, MessagesRepository } from '@omnigate/store';
export type { AppendResult, MessageRow } from '@omnigate/store';
