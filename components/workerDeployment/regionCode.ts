/**
 * Short, unique codes for regions, for names with tight length limits (a service
 * account id is 6-30 characters): `us-central1` -> `usc1`, `asia-southeast1` -> `asse1`.
 */

const AREAS: Record<string, string> = {
  us: "us",
  northamerica: "na",
  southamerica: "sa",
  europe: "eu",
  asia: "as",
  australia: "au",
  me: "me",
  africa: "af",
};

const DIRECTIONS: Record<string, string> = {
  central: "c",
  east: "e",
  west: "w",
  north: "n",
  south: "s",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

export function regionCode(region: string): string {
  const [area = "", ...rest] = region.split("-");
  const parts = rest.map((part) => {
    const m = /^([a-z]+)(\d*)$/.exec(part);
    if (!m) return part;
    const [, word = "", digits = ""] = m;
    return (DIRECTIONS[word] ?? word.slice(0, 2)) + digits;
  });
  return (AREAS[area] ?? area.slice(0, 2)) + parts.join("");
}
