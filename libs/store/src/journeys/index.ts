export * from './journeys.repository';
export * from './journey-summary.repository';
