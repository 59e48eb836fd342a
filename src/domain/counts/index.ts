/** The one true count: the counters model, incremental deltas per fact, and recomputation from facts. */
export * from './model.js';
export * from './registry.js';
export * from './contributions.js';
export * from './deltas.js';
export * from './positions.js';
export * from './classes.js';
