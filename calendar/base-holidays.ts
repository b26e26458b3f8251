/** Fallback holidays for years without an official schedule: date-holidays' CN data, corrected to the statute. */
import Holidays from "date-holidays";

// 全国年节及纪念日放假办法 art. 3: Women's Day, Youth Day, Children's Day and Army Day are off only for
// those groups (half a day, or a day for children); government offices work. date-holidays types them
// 'public' (6-01 even as a full day), so they are dropped by their rule, whatever the time of day.
const GROUP_ONLY_RULE = /^(03-08|05-04|06-01|08-01)\b/;
// date-holidays 3.37 gives the Spring Festival as 除夕、初一、初二 (the 2007 text) every year. The 2013
// revision (in force 2014) made it 初一–初三; the 2024 revision (in force 2025) made it 除夕 + 初一–初三
// and added 5-02 to Labour Day.
const EVE_RULE = "chinese 01-0-00";
const SECOND_DAY_RULE = "chinese 01-0-02";
const THIRD_DAY_FROM = 2014;
const EVE_DROPPED = { from: 2014, to: 2024 } as const;
const MAY_2_FROM = 2025;

const hd = new Holidays("CN", { timezone: "Asia/Shanghai" });
const cache = new Map<number, ReadonlyMap<string, string>>();

function addName(map: Map<string, string>, date: string, name: string): void {
  const prev = map.get(date);
  map.set(date, prev && prev !== name ? `${prev}、${name}` : name);
}

/** Full-day statutory holidays for a year: 'YYYY-MM-DD' → name (names of a shared day joined with '、'). */
export function baseHolidays(year: number): ReadonlyMap<string, string> {
  const cached = cache.get(year);
  if (cached) return cached;
  const map = new Map<string, string>();
  for (const h of hd.getHolidays(year)) {
    if (h.type !== "public" || GROUP_ONLY_RULE.test(h.rule)) continue;
    // Half-day entries start at 12:00; only days off from 00:00 for a whole day count.
    if (!h.date.endsWith(" 00:00:00") || h.end.getTime() - h.start.getTime() < 86_400_000) continue;
    if (h.rule === EVE_RULE && year >= EVE_DROPPED.from && year <= EVE_DROPPED.to) continue;
    const name = h.name.split(" ")[0] ?? h.name; // "清明节 清明節" carries a traditional-script duplicate
    addName(map, h.date.slice(0, 10), name);
    if (h.rule === SECOND_DAY_RULE && year >= THIRD_DAY_FROM) {
      // h.end is 00:00 Shanghai of the next day, i.e. 初三; +8 h makes its UTC date the civil date.
      addName(map, new Date(h.end.getTime() + 8 * 3_600_000).toISOString().slice(0, 10), name);
    }
  }
  if (year >= MAY_2_FROM) addName(map, `${year}-05-02`, map.get(`${year}-05-01`) ?? "劳动节");
  cache.set(year, map);
  return map;
}
