/** Socket.io event names on the `/live` namespace: wire names the web UI (issue 6) relies on. */
export const LiveEvents = {
  conversationEvent: 'conversation.event',
  typing: 'typing',
  sessionExpired: 'session.expired',
} as const;

export const LIVE_NAMESPACE = '/live';
