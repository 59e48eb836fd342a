/**
 * The API contract as the pages use it: every endpoint by desk, and `urlOf` to build its URL
 * (path parameters encoded, the query appended). Pages never write an '/api/…' string.
 */
export * as admin from '../../domain/api/admin.js';
export * as auth from '../../domain/api/auth.js';
export * as convoyOps from '../../domain/api/convoy-ops.js';
export * as convoys from '../../domain/api/convoys.js';
export * as counts from '../../domain/api/counts.js';
export * as imports from '../../domain/api/imports.js';
export * as matching from '../../domain/api/matching.js';
export * as operations from '../../domain/api/operations.js';
export * as persons from '../../domain/api/persons.js';
export * as reception from '../../domain/api/reception.js';
export { urlOf, type ResponseOf } from '../../domain/api/endpoint.js';
