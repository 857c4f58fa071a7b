import type { PROVIDERS_EN } from './providers.en';

/** 简体中文: the providers page. */
export const PROVIDERS_ZH: Record<keyof typeof PROVIDERS_EN, string> = {};
