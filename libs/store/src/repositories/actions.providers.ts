import { ApprovalsRepository } from './approvals.repository';

/** Approvals of guarded agent actions and step-ups (issue 5), provided and exported by RouterStoreModule. */
export const ACTION_REPOSITORIES = [ApprovalsRepository] as const;
