export * from './twilio-rest.client';
export * from './twilio-errors.mapper';
export * from './twilio-status.mapper';
export * from './twilio-signature';
export * from './twilio-keywords';
export * from './twilio-media.mapper';
