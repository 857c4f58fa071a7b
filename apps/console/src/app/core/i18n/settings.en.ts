/** English strings of the settings page (kept apart so feature work does not collide in en.ts). */
export const SETTINGS_EN = {} as const;
