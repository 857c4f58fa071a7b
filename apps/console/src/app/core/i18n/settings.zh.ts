import type { SETTINGS_EN } from './settings.en';

/** 简体中文: the settings page. */
export const SETTINGS_ZH: Record<keyof typeof SETTINGS_EN, string> = {};
