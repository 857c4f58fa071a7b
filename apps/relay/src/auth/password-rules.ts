/** Longest password accepted (argon2 would take more, but nobody types more, and it bounds the work). */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Why `password` is not acceptable for the account `username`, or null when it is. Rules: at least
 * `minLength` characters (counted as Unicode code points), at most {@link PASSWORD_MAX_LENGTH}, not
 * containing the user name (case-insensitive), not one character repeated.
 */
export function passwordProblem(password: string, username: string, minLength: number): string | null {
  const length = [...password].length;
  if (length < minLength) return `The password must have at least ${minLength} characters.`;
  if (length > PASSWORD_MAX_LENGTH)
    return `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`;
  const name = username.trim().toLowerCase();
  if (name.length > 0 && password.toLowerCase().includes(name))
    return 'The password must not contain the user name.';
  if (new Set(password).size === 1) return 'The password must not be one character repeated.';
  return null;
}

/** User names: 2-64 characters, letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

export function usernameProblem(username: string): string | null {
  if (USERNAME_PATTERN.test(username)) return null;
  return 'The user name must be 2 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit.';
}
