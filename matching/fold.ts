/**
 * Folding of what callers type into one form: full-width to half-width (NFKC), case, spaces and
 * punctuation, and Chinese numerals before a unit (八十八号, 七零六号, 一百米) into Arabic digits.
 */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** A Chinese numeral as a number: positional (七百零六, 八十八, 十二) or read digit by digit (七零六). */
export function chineseNumeral(s: string): number | undefined {
  if (!s || ![...s].every((c) => c in DIGITS || c in UNITS)) return undefined;
  if (![...s].some((c) => c in UNITS)) return Number([...s].map((c) => DIGITS[c]).join(""));
  let total = 0;
  let digit = 0;
  for (const c of s) {
    if (c in DIGITS) digit = DIGITS[c]!;
    else {
      total += (digit || 1) * UNITS[c]!;
      digit = 0;
    }
  }
  return total + digit;
}

// Units after which a Chinese numeral is a number (a house, a building, a distance), not part of a name (三里屯, 一中).
const NUMERAL_BEFORE_UNIT = /([零〇一二两三四五六七八九十百千]+)(?=号|栋|幢|楼|单元|米|弄|排|组|巷|层)/g;

/** Full-width forms, case, whitespace and punctuation folded; numerals before a unit as digits. */
export function fold(s: string): string {
  return (
    s
      .normalize("NFKC")
      .toLowerCase()
      .replace(NUMERAL_BEFORE_UNIT, (m) => String(chineseNumeral(m) ?? m))
      // A sub-number ("88-2号", "88之1号") is the same house as 88号 for matching.
      .replace(/(\d+)\s*(?:[-－—~～]|之|附)\s*\d+(?=号)/g, "$1")
      .replace(/[\s\p{P}\p{S}]+/gu, "")
  );
}
