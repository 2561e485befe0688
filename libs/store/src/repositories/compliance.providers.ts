import { ConsentsRepository } from './consents.repository';
import { LegalHoldsRepository, RetentionRepository } from './retention.repository';

/** Consent and retention repositories (issue 7), provided and exported by RouterStoreModule. */
export const COMPLIANCE_REPOSITORIES = [
  ConsentsRepository,
  RetentionRepository,
  LegalHoldsRepository,
] as const;
