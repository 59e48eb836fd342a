/**
 * The shapes names travel in. A person is registered with the parts of an Arabic name chain
 * (given, father, grandfather, family) in Arabic script, Latin script, or both; every part is
 * optional because people arrive with what they can tell or what a paper says.
 */

export interface NameParts {
  given?: string;
  father?: string;
  grandfather?: string;
  family?: string;
}

export interface PersonNames {
  ar?: NameParts;
  lat?: NameParts;
}

export interface NameKey {
  kind: string;
  value: string;
}
