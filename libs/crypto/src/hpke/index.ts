export * from './hpke.errors';
export { HPKE_SUITE_NAME } from './hpke-suite';
export * from './sealed-box';
