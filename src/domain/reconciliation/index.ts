/** Reconciliation: what does not add up between manifests, head counts, movement facts and check-ins. */
export * from './reconcile.js';
export * from './summary.js';
export * from './route-order.js';
export * from './conflicts.js';
