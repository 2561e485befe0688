/** A data key wrapped by a key-encryption key (KEK): safe to store beside the data it protects. */
export interface WrappedKey {
  /** Which KEK wrapped it (rotation keeps old KEKs for unwrapping only). */
  kekId: string;
  /** Opaque to callers: whatever the KMS needs to unwrap. */
  blob: string;
}

/**
 * The key-encryption service. `LocalKms` holds KEKs from configuration; a cloud KMS (AWS KMS
 * Encrypt/Decrypt, GCP Cloud KMS, Azure Key Vault wrapKey) implements the same two calls, so data
 * keys never leave the process unwrapped and KEKs never enter it.
 */
export abstract class KmsPort {
  /** The KEK new data keys are wrapped with. */
  abstract readonly currentKekId: string;
  abstract wrap(dataKey: Buffer, context: string): Promise<WrappedKey>;
  /** Throws KmsError when the KEK is unknown or the blob was tampered with. */
  abstract unwrap(wrapped: WrappedKey, context: string): Promise<Buffer>;
}

export class KmsError extends Error {
  readonly code = 'CRYPTO.KMS';
}
