/** True when `text` holds the card number in any written form (plain, spaced, dashed). */
export function containsPan(text: string, pan: string): boolean {
  const digits = pan.replace(/\D/g, '');
  if (text.replace(/[\s-]/g, '').includes(digits)) return true;
  return text.includes(pan);
}
