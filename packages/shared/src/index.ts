export * from './errors.js';
export * from './hall-state.js';
export * from './id-number.js';
export * from './protocol.js';
export * from './schemas.js';
export * from './ticket-number.js';
export * from './time.js';
export * from './wait-words.js';
