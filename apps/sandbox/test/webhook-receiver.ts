import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';

export interface ReceivedWebhook {
  /** The full URL that was called (what Twilio signs). */
  url: string;
  signature: string | undefined;
  contentType: string | undefined;
  params: Record<string, string>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

export interface ReceiverAnswer {
  status: number;
  contentType?: string;
  body?: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A plain HTTP server standing in for a customer's webhook: records every form POSTed to it. */
export async function startWebhookReceiver(
  answer: (w: ReceivedWebhook) => ReceiverAnswer = () => ({ status: 204 }),
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let base = '';
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const w: ReceivedWebhook = {
        url: base + (req.url ?? '/'),
        signature: req.headers['x-twilio-signature'] as string | undefined,
        contentType: req.headers['content-type'],
        params: Object.fromEntries(new URLSearchParams(text)),
      };
      received.push(w);
      const a = answer(w);
      res.writeHead(a.status, a.contentType ? { 'content-type': a.contentType } : {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url: base,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
