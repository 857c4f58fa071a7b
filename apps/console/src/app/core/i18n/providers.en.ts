/** English strings of the providers page (kept apart so feature work does not collide in en.ts). */
export const PROVIDERS_EN = {} as const;
