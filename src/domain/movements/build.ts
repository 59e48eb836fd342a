/**
 * Making a fact from client input: validated by the schema, so demo generators, imports and
 * tests produce exactly what the API would accept. Throws the zod error on bad input; the server
 * turns that into a field-level 400 like any other input.
 */
import { movementFactSchema, type MovementFact, type MovementFactInput } from './facts.js';

export function buildFact(input: MovementFactInput): MovementFact {
  return movementFactSchema.parse(input) as MovementFact;
}
