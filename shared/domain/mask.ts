/** Personal data shown at the counter is masked here, once, before it leaves the main process. */

/** "0912063990" → "•••••••990": only the last 3 digits, as API-NOTES requires for lists and cards. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 3) return '•'.repeat(digits.length);
  return '•'.repeat(digits.length - 3) + digits.slice(-3);
}

/** "楊于慧" → "楊*慧", "Wang Da Ming" → "W*** D* M***": enough to recognise a list row, not to identify. */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (/\s/.test(name.trim())) {
    return name
      .trim()
      .split(/\s+/)
      .map((part) => {
        const p = [...part];
        return (p[0] ?? '') + '*'.repeat(Math.max(p.length - 1, 0));
      })
      .join(' ');
  }
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
