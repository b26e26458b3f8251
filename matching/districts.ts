/** Which districts a repeat report may come from: the case's own and those bordering it (config/district-neighbours.json). */
import data from "../config/district-neighbours.json" with { type: "json" };

const table = data.neighbours as Record<string, string[]>;

/** The district itself and its neighbours (a district not in the table has none). */
export function nearbyDistricts(district: string): string[] {
  return [district, ...(table[district] ?? [])];
}
