import { io } from 'socket.io-client';
import type { ConversationEventV1 } from '@omnigate/contracts';

/** Wire names of apps/console's /live namespace (live.dto.ts). */
const CONVERSATION_EVENT = 'conversation.event';
const SESSION_EXPIRED = 'session.expired';

export interface LiveHandlers {
  onEvent(event: ConversationEventV1): void;
  onExpired(): void;
  onConnection(connected: boolean): void;
}

/** The session cookie authenticates the socket; returns a function that closes it. */
export function connectLive(handlers: LiveHandlers): () => void {
  const socket = io('/live', { transports: ['websocket'], withCredentials: true });
  socket.on(CONVERSATION_EVENT, (e: ConversationEventV1) => handlers.onEvent(e));
  socket.on(SESSION_EXPIRED, () => handlers.onExpired());
  socket.on('connect', () => handlers.onConnection(true));
  socket.on('disconnect', () => handlers.onConnection(false));
  socket.on('connect_error', (err: Error) => {
    handlers.onConnection(false);
    if (/UNAUTHORIZED|EXPIRED|TOKEN/i.test(err.message)) handlers.onExpired();
  });
  return () => {
    socket.disconnect();
  };
}
