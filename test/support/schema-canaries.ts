/**
 * Valid requests made from the API contract's own zod schemas, with a unique canary in every
 * string field that can hold one. A field is filled from `clearByDesign` (the explicit list of
 * fields kept in clear on purpose, each with its reason and the value it takes) or else gets a
 * canary; a string field that refuses a canary and is not in the list is reported, so a new
 * field is either a canary or a decision someone wrote down. Arrays get one element — one per
 * option when the element is a union (every kind of movement fact in a facts batch) — and
 * optional fields are present. When a schema's refinement refuses the whole, optional fields are
 * left out one at a time (those without a canary first) until it accepts.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';

type Def = Record<string, unknown> & { type: string };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/**
 * A field's value: a fixed value, or made per use (fresh ids); `undefined` leaves an optional field out.
 * `canary(what)` gives a new canary, looked for like the others, for a value that holds some inside
 * it without being one (the cells of an uploaded file, sent base64-encoded).
 */
export type Provide = (path: string, schema: z.ZodType, canary: (what: string) => string) => unknown;

export interface ClearField {
  reason: string;
  value: Provide;
}

export interface Generated {
  value: unknown;
  /** Canary → the field path it was put in. */
  canaries: Map<string, string>;
  /** String fields that refuse a canary and are not in the clear-by-design list. */
  unlisted: string[];
  /** Canaries inside a listed field's value (not as such in the request) → that value, as JSON. */
  within: Map<string, string>;
}

let counter = 0;
/** Letters and digits only, so it fits ids, usernames and free text alike; unique per field. */
export function newCanary(): string {
  counter += 1;
  return `Cy${counter.toString(36)}q${randomBytes(5).toString('hex')}`;
}

/** A date no other data of a test would hold (dates of birth are sealed). */
function canaryDate(): string {
  const d = new Date(Date.UTC(1931 + (randomBytes(1)[0]! % 40), randomBytes(1)[0]! % 12, 1 + (randomBytes(1)[0]! % 28)));
  return d.toISOString().slice(0, 10);
}

const ok = (s: z.ZodType, v: unknown) => s.safeParse(v).success;

export function makeGenerator(clearByDesign: Record<string, ClearField>) {
  /** The list is keyed by the field's name, or by `<endpoint> <dotted path>` for one endpoint only. */
  const listed = (where: string, path: string): ClearField | undefined => {
    const leaf = path.split('.').pop()!.replace(/\[\]$/, '');
    return clearByDesign[`${where} ${path}`] ?? clearByDesign[leaf];
  };

  function gen(schema: z.ZodType, path: string, where: string, out: Generated): unknown {
    const clear = path ? listed(where, path) : undefined;
    if (clear) {
      const inside: string[] = [];
      const value = clear.value(path, schema, (what) => {
        const c = newCanary();
        inside.push(c);
        out.canaries.set(c, `${where} ${path} (${what})`);
        return c;
      });
      for (const c of inside) out.within.set(c, JSON.stringify(value));
      return value;
    }
    const def = defOf(schema);
    switch (def.type) {
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) {
          const value = gen(v, path ? `${path}.${k}` : k, where, out);
          if (value !== undefined) o[k] = value;
        }
        return o;
      }
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
        return gen(def.innerType as z.ZodType, path, where, out);
      case 'pipe':
        return gen(def.in as z.ZodType, path, where, out);
      case 'array': {
        const el = def.element as z.ZodType;
        const elDef = defOf(el);
        if (elDef.type === 'union') return (elDef.options as z.ZodType[]).map((o) => gen(o, `${path}[]`, where, out));
        return [gen(el, `${path}[]`, where, out)];
      }
      case 'union':
        return gen((def.options as z.ZodType[])[0]!, path, where, out);
      case 'enum':
        return Object.values(def.entries as Record<string, unknown>)[0];
      case 'literal':
        return (def.values as unknown[])[0];
      case 'boolean':
        return true;
      case 'number':
        return [1, 0, 10, 2016].find((n) => ok(schema, n)) ?? 1;
      case 'record':
        // Free-form content the contract does not describe: the walk must be told its schema.
        out.unlisted.push(`${where} ${path || '(the whole)'} (a record: give its schema)`);
        return {};
      case 'string': {
        const canary = newCanary();
        if (ok(schema, canary)) {
          out.canaries.set(canary, `${where} ${path}`);
          return canary;
        }
        const date = canaryDate();
        if (ok(schema, date)) {
          out.canaries.set(date, `${where} ${path}`);
          return date;
        }
        out.unlisted.push(`${where} ${path}`);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Paths of the optional fields present in a value made from `schema`, canary-free ones first. */
  function optionalPaths(schema: z.ZodType, value: unknown, path: string[], acc: string[][]): void {
    const def = defOf(schema);
    if (['optional', 'default', 'prefault', 'nullable'].includes(def.type)) {
      if (value !== undefined && def.type !== 'nullable') acc.push(path);
      optionalPaths(def.innerType as z.ZodType, value, path, acc);
    } else if (def.type === 'pipe') optionalPaths(def.in as z.ZodType, value, path, acc);
    else if (def.type === 'object' && value && typeof value === 'object')
      for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>))
        optionalPaths(v, (value as Record<string, unknown>)[k], [...path, k], acc);
    else if (def.type === 'array' && Array.isArray(value)) {
      const el = def.element as z.ZodType;
      const elDef = defOf(el);
      value.forEach((item, i) =>
        optionalPaths(elDef.type === 'union' ? (elDef.options as z.ZodType[])[i]! : el, item, [...path, String(i)], acc),
      );
    }
  }

  const without = (value: unknown, path: string[]): unknown => {
    const copy = structuredClone(value) as Record<string, unknown>;
    let cur: Record<string, unknown> = copy;
    for (const p of path.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
    delete cur[path[path.length - 1]!];
    return copy;
  };
  const holdsCanary = (value: unknown, canaries: Map<string, string>) =>
    [...canaries.keys()].some((c) => JSON.stringify(value).includes(c));

  /** A value `schema` accepts, with canaries; `where` names the endpoint in reports and in the list's keys. */
  function generate(schema: z.ZodType, where: string): Generated {
    const out: Generated = { value: undefined, canaries: new Map(), unlisted: [], within: new Map() };
    out.value = gen(schema, '', where, out);
    if (!ok(schema, out.value)) {
      // An array of union elements: repair each element on its own.
      const acc: string[][] = [];
      optionalPaths(schema, out.value, [], acc);
      const get = (v: unknown, p: string[]) => p.reduce<unknown>((c, k) => (c as Record<string, unknown>)?.[k], v);
      // Left out first: what holds no string (a head count), then ids and times, canaries last.
      const rank = (p: string[]) => {
        const v = get(out.value, p);
        return holdsCanary(v, out.canaries) ? 2 : typeof v === 'string' ? 1 : 0;
      };
      acc.sort((a, b) => rank(a) - rank(b));
      let value = out.value;
      for (const p of acc) {
        if (ok(schema, value)) break;
        const issues = schema.safeParse(value).error!.issues.map((i) => i.path.join('.'));
        const attempt = without(value, p);
        // Keep a removal that makes it valid, or that removes a failing element's problem.
        const after = schema.safeParse(attempt);
        if (after.success || after.error.issues.length < issues.length) value = attempt;
      }
      out.value = value;
    }
    // Canaries dropped with a removed field are not looked for.
    const text = JSON.stringify(out.value);
    for (const c of [...out.canaries.keys()]) if (!text.includes(out.within.get(c)?.slice(1, -1) ?? c)) out.canaries.delete(c);
    return out;
  }

  return { generate };
}
