// Canned replies: {{requester.name}}, {{ticket.number}}, {{agent.name}}… are replaced by plain
// values. Only the names below are known; anything else stays as typed. The result is plain text
// that templates escape, so a placeholder value can never inject markup.

export const CANNED_PLACEHOLDERS = [
  'requester.name',
  'requester.email',
  'ticket.number',
  'ticket.subject',
  'agent.name',
  'agent.email',
  'organization.name',
] as const;

export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

const KNOWN = new Set<string>(CANNED_PLACEHOLDERS);

export function renderCanned(body: string, values: Partial<Record<CannedPlaceholder, string | number | null | undefined>>): string {
  return body.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/gi, (whole, name: string) => {
    const key = name.toLowerCase();
    if (!KNOWN.has(key)) return whole;
    const v = values[key as CannedPlaceholder];
    return v === null || v === undefined ? '' : String(v);
  });
}
