import type { ROUTING_EN } from './routing.en';

/** 简体中文: the routing page. */
export const ROUTING_ZH: Record<keyof typeof ROUTING_EN, string> = {};
