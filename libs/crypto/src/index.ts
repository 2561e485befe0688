export * from './luhn';
export * from './pan-redactor';
export * from './timing-safe';
export * from './envelope';
export * from './hpke';
export * from './card-sealer';
