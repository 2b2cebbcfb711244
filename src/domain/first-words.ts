// A subject made from the start of a message that came without one (SMS, mail with an empty subject).
export function firstWords(text: string): string {
  const words = text.trim().split(/\s+/).slice(0, 8).join(' ');
  return words.length > 80 ? `${words.slice(0, 79)}…` : words;
}
