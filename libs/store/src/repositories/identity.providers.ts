import { IdentityProofsRepository } from './identity-proofs.repository';
import { StepUpApprovalsRepository } from './step-up-approvals.repository';

/** Identity proofs and step-up approvals (issue 5), provided and exported by RouterStoreModule. */
export const IDENTITY_REPOSITORIES = [IdentityProofsRepository, StepUpApprovalsRepository] as const;
