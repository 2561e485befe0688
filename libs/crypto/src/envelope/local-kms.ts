import { gcmOpen, gcmSeal } from './aes-gcm';
import { KmsError, KmsPort } from './kms.port';
import type { WrappedKey } from './kms.port';

/**
 * KEKs from configuration: `DATA_KEKS="k2:<base64 32 bytes>,k1:<base64 32 bytes>"`, the first is
 * current. Rotation: put a new key first and keep the old ones; data keys wrapped by an old KEK
 * still unwrap, and can be rewrapped (cheap: keys only, never the data).
 */
export class LocalKms extends KmsPort {
  readonly currentKekId: string;
  private readonly keks: Map<string, Buffer>;

  constructor(keks: Array<{ id: string; key: Buffer }>) {
    super();
    if (keks.length === 0) throw new KmsError('at least one key-encryption key is needed');
    for (const k of keks) {
      if (k.key.length !== 32) throw new KmsError(`key-encryption key ${k.id} must be 32 bytes`);
      if (!/^[a-z0-9_-]{1,32}$/i.test(k.id)) throw new KmsError(`bad key-encryption key id`);
    }
    this.keks = new Map(keks.map((k) => [k.id, k.key]));
    this.currentKekId = keks[0]!.id;
  }

  /** Parses `id:base64,id:base64` (the configuration format). */
  static fromConfig(value: string): LocalKms {
    const keks = value.split(',').map((part) => {
      const i = part.indexOf(':');
      if (i <= 0) throw new KmsError('DATA_KEKS must look like "k1:<base64 of 32 bytes>,..."');
      return { id: part.slice(0, i).trim(), key: Buffer.from(part.slice(i + 1).trim(), 'base64') };
    });
    return new LocalKms(keks);
  }

  wrap(dataKey: Buffer, context: string): Promise<WrappedKey> {
    const kek = this.keks.get(this.currentKekId)!;
    const blob = gcmSeal(kek, dataKey, `kek:${this.currentKekId}:${context}`).toString('base64');
    return Promise.resolve({ kekId: this.currentKekId, blob });
  }

  unwrap(wrapped: WrappedKey, context: string): Promise<Buffer> {
    const kek = this.keks.get(wrapped.kekId);
    if (!kek) return Promise.reject(new KmsError(`unknown key-encryption key ${wrapped.kekId}`));
    try {
      return Promise.resolve(
        gcmOpen(kek, Buffer.from(wrapped.blob, 'base64'), `kek:${wrapped.kekId}:${context}`),
      );
    } catch {
      return Promise.reject(new KmsError('wrapped data key does not open with its KEK'));
    }
  }
}
