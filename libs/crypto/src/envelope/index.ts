export * from './aes-gcm';
export * from './field-cipher';
export * from './kms.port';
export * from './local-kms';
