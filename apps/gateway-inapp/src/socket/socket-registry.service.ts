import { Injectable } from '@nestjs/common';
import type { DefaultEventsMap, Socket } from 'socket.io';
import type { AppPrincipal } from '../auth/app-principal.mapper';

export interface AppSocketData {
  principal: AppPrincipal;
  expiryTimer?: NodeJS.Timeout;
  /** Pushes sent with an ack request that the app has not acked yet. */
  pendingAcks?: number;
}

export type AppSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, AppSocketData>;

/** The authenticated sockets this instance holds, by app user (a user may have a phone and a tablet). */
@Injectable()
export class SocketRegistry {
  private readonly byUser = new Map<string, Set<AppSocket>>();

  add(socket: AppSocket): void {
    const sub = socket.data.principal.sub;
    let set = this.byUser.get(sub);
    if (!set) {
      set = new Set();
      this.byUser.set(sub, set);
    }
    set.add(socket);
  }

  remove(socket: AppSocket): boolean {
    const sub = socket.data.principal?.sub;
    if (sub === undefined) return false;
    const set = this.byUser.get(sub);
    const removed = set?.delete(socket) ?? false;
    if (set && set.size === 0) this.byUser.delete(sub);
    return removed;
  }

  socketsOf(sub: string): AppSocket[] {
    return [...(this.byUser.get(sub) ?? [])];
  }

  isEmpty(): boolean {
    return this.byUser.size === 0;
  }
}
