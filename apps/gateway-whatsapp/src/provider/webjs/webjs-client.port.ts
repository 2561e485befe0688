import type { Client, ClientOptions, LocalAuth } from 'whatsapp-web.js';

/**
 * The whatsapp-web.js Client constructor, injected so production uses the real one (loaded only
 * in webjs mode: it pulls in puppeteer) and tests a faithful fake that emits the library's events.
 */
export const WEBJS_CLIENT_CTOR = Symbol('WEBJS_CLIENT_CTOR');

/** What we use of a Client: its events, start/stop, send. */
export type WebjsClient = Pick<
  Client,
  'on' | 'removeAllListeners' | 'initialize' | 'destroy' | 'sendMessage' | 'info'
>;

export type WebjsClientCtor = new (options: ClientOptions) => WebjsClient;

/** LocalAuth (the session saved under dataPath), loaded with the library. */
export const WEBJS_LOCAL_AUTH_CTOR = Symbol('WEBJS_LOCAL_AUTH_CTOR');

export type LocalAuthCtor = typeof LocalAuth;

export async function loadRealClient(): Promise<WebjsClientCtor> {
  const lib = await import('whatsapp-web.js');
  return lib.Client;
}

export async function loadLocalAuth(): Promise<LocalAuthCtor> {
  return (await import('whatsapp-web.js')).LocalAuth;
}
