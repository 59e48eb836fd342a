/**
 * The convoy state machine, for commands given on the convoy board (start boarding, dispatch,
 * halt, cancel …). A refused command names the moves that are allowed from where the convoy is,
 * so the 409 tells the officer what they can do instead.
 *
 *   planned ──board──▶ boarding ──depart──▶ departed ──pass_checkpoint / resume*──▶ moving
 *      │                  │ ▲ board           │  ╲ halt                 halt ▲ │ ▼ resume, pass_checkpoint
 *      └──cancel──┐  cancel│                  │   ╲──────────────▶ halted ◀──┘
 *                 ▼       ▼                   ▼ arrive / turn_back (from departed, moving, halted)
 *               cancelled                   arrived | turned_back            (* resume only from halted)
 *
 * `departed` is the short state between leaving the origin and the first sign of progress; the
 * convoy becomes `moving` when it is seen at a checkpoint or resumes after a halt. It may arrive or
 * turn back straight from `departed` or `halted`: the arrival is seen at the destination, and the
 * resume may never have been logged by a monitor who was offline. Terminal states: arrived,
 * cancelled, turned_back (people on a turned-back convoy are manifested again on a new one).
 */
import { refuse, type Refusal } from './refusal.js';

export const convoyStates = ['planned', 'boarding', 'departed', 'moving', 'halted', 'arrived', 'cancelled', 'turned_back'] as const;
export type ConvoyState = (typeof convoyStates)[number];

export const convoyEvents = ['board', 'depart', 'pass_checkpoint', 'halt', 'resume', 'arrive', 'turn_back', 'cancel'] as const;
export type ConvoyEvent = (typeof convoyEvents)[number];

const table: Record<ConvoyState, Partial<Record<ConvoyEvent, ConvoyState>>> = {
  planned: { board: 'boarding', cancel: 'cancelled' },
  boarding: { board: 'boarding', depart: 'departed', cancel: 'cancelled' },
  departed: { pass_checkpoint: 'moving', halt: 'halted', arrive: 'arrived', turn_back: 'turned_back' },
  moving: { pass_checkpoint: 'moving', halt: 'halted', arrive: 'arrived', turn_back: 'turned_back' },
  halted: { resume: 'moving', pass_checkpoint: 'moving', arrive: 'arrived', turn_back: 'turned_back' },
  arrived: {},
  cancelled: {},
  turned_back: {},
};

export const terminalStates: readonly ConvoyState[] = ['arrived', 'cancelled', 'turned_back'];
/** States in which the vehicles are on the road with people on board. */
export const onTheRoadStates: readonly ConvoyState[] = ['departed', 'moving', 'halted'];

export interface AllowedTransition {
  event: ConvoyEvent;
  to: ConvoyState;
}

export function allowedTransitions(state: ConvoyState): AllowedTransition[] {
  return Object.entries(table[state]).map(([event, to]) => ({ event: event as ConvoyEvent, to: to as ConvoyState }));
}

export type TransitionResult = { ok: true; state: ConvoyState } | Refusal<'convoy.invalid_transition'>;

export function transition(state: ConvoyState, event: ConvoyEvent): TransitionResult {
  const to = table[state][event];
  if (to) return { ok: true, state: to };
  const allowed = allowedTransitions(state);
  const list = allowed.length === 0 ? 'none: the convoy is finished' : allowed.map((a) => `${a.event} → ${a.to}`).join(', ');
  return refuse('convoy.invalid_transition', `A convoy that is ${state} cannot ${event}; allowed: ${list}.`, {
    from: state,
    event,
    allowed,
  });
}
