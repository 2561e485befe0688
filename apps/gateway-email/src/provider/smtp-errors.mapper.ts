import { maskAddresses } from '../bounce/dsn.mapper';
import { MailSendError } from './mail-transport.port';

interface NodemailerError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** A nodemailer failure → give up (5xx) or retry (4xx, network, timeout, login). Pure. */
export function classifySendError(e: unknown): MailSendError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as NodemailerError;
  const code = err.responseCode;
  const said = maskAddresses((err.response ?? err.message ?? '').replace(/\s+/g, ' ')).slice(
    0,
    300,
  );
  if (err.code === 'EAUTH') {
    return new MailSendError(
      'retry',
      'EMAIL.SMTP_AUTH',
      'Our SMTP login was refused; check EMAIL_OUT_USER/PASS',
      e,
    );
  }
  if (code !== undefined && code >= 500 && code < 600) {
    return new MailSendError(
      'rejected',
      `SMTP.${code}`,
      `The mail server refused the message (${code}): ${said}`,
      e,
    );
  }
  if (code !== undefined && code >= 400 && code < 500) {
    return new MailSendError(
      'retry',
      `SMTP.${code}`,
      `The mail server deferred the message (${code})`,
      e,
    );
  }
  return new MailSendError(
    'retry',
    'EMAIL.SMTP_UNAVAILABLE',
    `The mail server could not be reached (${err.code ?? 'error'})`,
    e,
  );
}
