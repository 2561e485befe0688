import { Injectable } from '@nestjs/common';
import { ServerEvents } from './inapp-protocol.v1';
import type { AppSocket } from './socket-registry.service';

/** setTimeout's ceiling (~24.8 days); a longer-lived token re-arms the timer when it fires. */
const MAX_TIMER_MS = 2_147_483_647;
export const EXPIRED_MESSAGE = 'the login token has expired: reconnect with a fresh one';

/** Ends a socket when its login token expires: `auth_expired`, then disconnect. */
@Injectable()
export class SessionExpiry {
  arm(socket: AppSocket): void {
    const delay = socket.data.principal.expiresAtMs - Date.now();
    if (delay <= 0) return this.expire(socket);
    const timer = setTimeout(() => this.arm(socket), Math.min(delay, MAX_TIMER_MS));
    timer.unref();
    socket.data.expiryTimer = timer;
  }

  disarm(socket: AppSocket): void {
    clearTimeout(socket.data.expiryTimer);
  }

  /** The timer may lag behind the clock: events check this too. */
  isExpired(socket: AppSocket, now = Date.now()): boolean {
    return now >= socket.data.principal.expiresAtMs;
  }

  expire(socket: AppSocket): void {
    if (!socket.connected) return;
    socket.emit(ServerEvents.authExpired, {
      code: 'INAPP.TOKEN_EXPIRED',
      message: EXPIRED_MESSAGE,
    });
    socket.disconnect(true);
  }
}
