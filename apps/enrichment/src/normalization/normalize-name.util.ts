// Parts of a name that start with a capital letter when the whole name was typed in one case.
const PART_START = /(^|[\s\-'’.])(\p{L})/gu;
const MC_PREFIX = /(^|[\s\-'’])Mc(\p{Ll})/gu;

/**
 * A person's or place's name, trimmed, with inner whitespace collapsed. Casing is only restored when
 * the name was typed entirely in upper or lower case (`MARY-JANE O'BRIEN` → `Mary-Jane O'Brien`,
 * `mcdonald` → `McDonald`): a mixed-case name (`McDonald`, `DeVito`, `van der Berg`)
 * is how its owner writes it, and scripts without case (`李小龙`) are left as they are.
 * `undefined` for a missing or blank name.
 */
export function normalizeName(name: string | undefined): string | undefined {
  const text = name?.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (!text) return undefined;
  const lower = text.toLowerCase();
  const typedInOneCase = text === lower || text === text.toUpperCase();
  if (!typedInOneCase || lower === text.toUpperCase()) return text;
  return lower
    .replace(PART_START, (_match, separator: string, letter: string) => separator + letter.toUpperCase())
    .replace(
      MC_PREFIX,
      (_match, separator: string, letter: string) => `${separator}Mc${letter.toUpperCase()}`,
    );
}
