import { randomBytes } from 'node:crypto';
import type { TwilioMessageRecord } from './twilio.types';

export const API_VERSION = '2010-04-01';

/** A Twilio SID: two-letter prefix + 32 lowercase hex digits (SM..., MG...). */
export function newSid(prefix: 'SM' | 'MM'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio's date format (RFC 2822): "Thu, 24 Aug 2023 05:01:45 +0000". */
export function rfc2822(d: Date | null): string | null {
  return d ? d.toUTCString().replace('GMT', '+0000') : null;
}

export function messageUri(accountSid: string, sid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;
}

/** The Message resource as Twilio's JSON renders it (snake_case, counts as strings). */
export function toMessageResource(r: TwilioMessageRecord): Record<string, unknown> {
  return {
    account_sid: r.accountSid,
    api_version: API_VERSION,
    body: r.body,
    date_created: rfc2822(r.dateCreated),
    date_sent: rfc2822(r.dateSent),
    date_updated: rfc2822(r.dateUpdated),
    direction: r.direction,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    from: r.from,
    messaging_service_sid: r.messagingServiceSid,
    num_media: String(r.numMedia),
    num_segments: String(r.numSegments),
    price: null,
    price_unit: 'USD',
    sid: r.sid,
    status: r.status,
    subresource_uris: {
      media: `/${API_VERSION}/Accounts/${r.accountSid}/Messages/${r.sid}/Media.json`,
    },
    to: r.to,
    uri: messageUri(r.accountSid, r.sid),
  };
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

/** One page of the Messages list, with Twilio's paging keys (the SDK follows next_page_uri). */
export function toMessagePage(
  accountSid: string,
  all: TwilioMessageRecord[],
  req: PageRequest,
  filterQuery: string,
): Record<string, unknown> {
  const base = `/${API_VERSION}/Accounts/${accountSid}/Messages.json`;
  const pageUri = (page: number) =>
    `${base}?${filterQuery}${filterQuery ? '&' : ''}PageSize=${req.pageSize}&Page=${page}`;
  const start = req.page * req.pageSize;
  const items = all.slice(start, start + req.pageSize);
  const hasNext = start + req.pageSize < all.length;
  return {
    end: start + Math.max(items.length - 1, 0),
    first_page_uri: pageUri(0),
    messages: items.map(toMessageResource),
    next_page_uri: hasNext ? pageUri(req.page + 1) : null,
    page: req.page,
    page_size: req.pageSize,
    previous_page_uri: req.page > 0 ? pageUri(req.page - 1) : null,
    start,
    uri: pageUri(req.page),
  };
}
