// The one way our own texts get their {placeholders} filled (bot replies, safety messages, web pages).
// Unknown placeholders are left as written, so a typo in a data file shows up instead of vanishing.

export function fillPlaceholders(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole,
  );
}
