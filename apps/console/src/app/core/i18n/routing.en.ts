/** English strings of the routing page (kept apart so feature work does not collide in en.ts). */
export const ROUTING_EN = {} as const;
