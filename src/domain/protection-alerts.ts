/**
 * How a protection alert (a protected child checked in) may be closed. Here, without zod, so the
 * web page that closes alerts offers the same outcomes the contract (api/reception.ts) accepts
 * without bundling the contract's schemas.
 */
export const alertOutcomes = ['reunited', 'interim_care', 'referred', 'tracing_case', 'raised_in_error'] as const;
export type AlertOutcome = (typeof alertOutcomes)[number];
