/**
 * "Did you mean" for a misspelt name: a config key, a region, a namespace. A candidate within
 * two edits, or a third of its length, counts as the intended one.
 */
import type { z } from "zod";

/** Levenshtein distance; names are short, so the quadratic table is fine. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate `word` is most likely a misspelling of, or undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = editDistance(word, name);
    if (best === undefined || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

interface Def {
  type: string;
  innerType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
}
const defOf = (schema: z.core.$ZodType) => schema._zod.def as unknown as Def;

/** The keys an object schema takes at `path` (through defaults, optionals and arrays), or []. */
export function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  const unwrap = () => {
    while (current && defOf(current).innerType) current = defOf(current).innerType;
  };
  for (const key of path) {
    unwrap();
    if (!current) return [];
    const def = defOf(current);
    current = def.type === "array" ? def.element : def.shape?.[String(key)];
  }
  unwrap();
  return current ? Object.keys(defOf(current).shape ?? {}) : [];
}
