/**
 * The forms of the two kinds of id people and devices give: an entity's id (a ULID, a UUID, a
 * plate or fleet number) and a slug (a site's or an operation's short id). Their own module, with
 * no imports, so the field messages (also in the browser) can tell which form a refusal was about
 * without pulling the schemas in.
 */
export const SLUG_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
