/**
 * Digits as people type them: Arabic-Indic (٠١٢…٩) and Eastern Arabic-Indic / Persian (۰۱۲…۹)
 * digits, and the Arabic decimal separator (٫), read as Western digits — what numeric fields,
 * ages and tags hold. Pure, shared by the browser (before validation) and the server.
 */
export function westernDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9\u066B]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x066b) return '.';
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** A number in Arabic-Indic digits (the one digit style of the Arabic interface), without grouping. */
export function arabicIndicDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d))).replace(/\./g, '\u066B');
}

/**
 * A whole number as people copy it from a table or a press release, digit groups and all
 * ("16,000", "١٬٦٠٠", "16 000", "16’000"): its digits alone, so the number reads. Anything else
 * (a decimal point, a group of the wrong size) is left as typed, for validation to refuse.
 */
export function ungroupedWholeNumber(s: string): string {
  const t = westernDigits(s.trim());
  return /^\d{1,3}(?:[,\u066C'\u2019\u00A0\u202F ]\d{3})+$/.test(t) ? t.replace(/\D/g, '') : t;
}
