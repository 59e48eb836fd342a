/** Convoys, vehicles, routes, movement windows and manifests: the pure rules of putting people on the road. */
export * from './refusal.js';
export * from './state-machine.js';
export * from './vehicles.js';
export * from './routes.js';
export * from './head-count.js';
export * from './capacity.js';
export * from './manifest.js';
export * from './removal.js';
export * from './observed.js';
export * from './overdue.js';
export * from './timeline.js';
