/** The values of an `as const` enumeration object, as the non-empty tuple `z.enum` takes (in declaration order). */
export function enumValues<T extends Record<string, string>>(values: T): [T[keyof T], ...T[keyof T][]] {
  return Object.values(values) as [T[keyof T], ...T[keyof T][]];
}
