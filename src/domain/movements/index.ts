/** Movement facts: their schemas, their order, and what they say about convoys and people now. */
export * from './facts.js';
export * from './order.js';
export * from './derive.js';
export * from './build.js';
