/**
 * How error messages quote a value read from JSON (model manifests, skeleton recordings, settings). JSON.stringify
 * writes a non-finite number (what `1e999` parses to) as `null`, which would name the wrong problem; here it
 * reads "not finite".
 */
const NOT_FINITE = '\u0000not finite\u0000';
const QUOTED_NOT_FINITE = JSON.stringify(NOT_FINITE);

export function describeJson(value: unknown, maxLength = 60): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? NOT_FINITE : item));
  const text = (json ?? String(value)).replaceAll(QUOTED_NOT_FINITE, 'not finite');
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}
