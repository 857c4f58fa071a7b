import { Injectable, computed, effect, signal } from '@angular/core';
import { EN, type MessageKey } from './en';
import { ZH } from './zh';

export type Lang = 'en' | 'zh-CN';
const STORAGE_KEY = 'mr.lang';
const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en: EN, 'zh-CN': ZH };

/**
 * Run-time translation: two dictionaries and a signal. @angular/localize was not used because it
 * translates at build time (one bundle per locale, a page reload to switch), while the console must
 * switch language in place; and the dictionaries here are type-checked (`ZH` must have every key of
 * `EN`), so no visible string can be left untranslated without the build failing.
 *
 * Templates call `t('key')`: the call reads the `lang` signal, so a switch re-renders every view.
 */
@Injectable({ providedIn: 'root' })
export class I18nService {
  readonly lang = signal<Lang>(initialLang());
  private readonly dictionary = computed(() => DICTIONARIES[this.lang()]);

  constructor() {
    effect(() => {
      const lang = this.lang();
      document.documentElement.lang = lang;
      try {
        localStorage.setItem(STORAGE_KEY, lang);
      } catch {
        // private mode
      }
    });
  }

  /** The message in the current language, with `{name}` placeholders filled from `params`. */
  readonly t = (key: MessageKey, params?: Record<string, string | number>): string => {
    const text = this.dictionary()[key] ?? key;
    return params
      ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
      : text;
  };

  /** Numbers and dates in the current language. */
  number(value: number, digits = 0): string {
    return value.toLocaleString(this.lang(), { maximumFractionDigits: digits });
  }

  dateTime(epochMs: number): string {
    return new Date(epochMs).toLocaleString(this.lang(), { hour12: false });
  }
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // private mode
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
