/**
 * Masking of personal data for roles that may not see it (the `cdc` role, CSV lists handed on):
 * a name keeps its first character (`陈*`, `W***`), a phone its first 3 and last 4 digits
 * (`138****1234`), an id number its 6-digit region prefix and last 4 characters.
 */

export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const chars = [...name.trim()];
  if (chars.length === 0) return name;
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return '*'.repeat(digits.length || 1);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function maskIdNumber(idNumber: string | null): string | null {
  if (idNumber === null) return null;
  const id = idNumber.trim();
  if (id.length <= 10) return '*'.repeat(id.length || 1);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}
