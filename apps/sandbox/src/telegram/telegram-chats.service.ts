import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TelegramErrors } from './telegram-api.errors';
import type { ChatFault, SandboxFile, SentRecord } from './telegram.types';

/**
 * What the sandbox remembers besides updates: messages the bot sent (by chat), scripted failures
 * per chat, and the files customers sent (for getFile and the download URL).
 */
@Injectable()
export class TelegramChatsService {
  private sent: SentRecord[] = [];
  private faults = new Map<string, ChatFault>();
  private files = new Map<string, SandboxFile>();
  private nextMessageId = 1;

  newMessageId(): number {
    return this.nextMessageId++;
  }

  /** Throws the scripted error for this chat, if any (a 429 script counts down). */
  checkFault(chatId: string): void {
    const f = this.faults.get(chatId);
    if (!f) return;
    if (f.kind === 'blocked') throw TelegramErrors.blocked();
    if (f.kind === 'chat_not_found') throw TelegramErrors.chatNotFound();
    if (f.count <= 0) return;
    f.count--;
    if (f.count === 0) this.faults.delete(chatId);
    throw TelegramErrors.tooManyRequests(f.retryAfter);
  }

  setFault(chatId: string, fault: ChatFault | null): void {
    if (fault) this.faults.set(chatId, fault);
    else this.faults.delete(chatId);
  }

  record(r: SentRecord): void {
    this.sent.push(r);
  }

  listSent(chatId?: string): SentRecord[] {
    return chatId ? this.sent.filter((s) => s.chatId === chatId) : [...this.sent];
  }

  /** A file a customer "uploaded": stored so getFile and /file/bot<token>/<path> can serve it. */
  addFile(
    kind: 'photos' | 'documents' | 'voice',
    mimeType: string,
    bytes: Buffer,
    ext: string,
  ): SandboxFile {
    const fileId = `AgAC${randomBytes(12).toString('base64url')}`;
    const fileUniqueId = createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
    const file: SandboxFile = {
      fileId,
      fileUniqueId,
      filePath: `${kind}/file_${this.files.size}.${ext}`,
      mimeType,
      bytes,
    };
    this.files.set(fileId, file);
    return file;
  }

  fileById(fileId: string): SandboxFile | undefined {
    return this.files.get(fileId);
  }

  fileByPath(path: string): SandboxFile | undefined {
    for (const f of this.files.values()) if (f.filePath === path) return f;
    return undefined;
  }

  reset(): void {
    this.sent = [];
    this.faults.clear();
    this.files.clear();
  }
}
