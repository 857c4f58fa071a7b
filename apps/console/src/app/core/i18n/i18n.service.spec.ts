import { TestBed } from '@angular/core/testing';
import { EN } from './en';
import { I18nService } from './i18n.service';
import { ZH } from './zh';

describe('I18nService', () => {
  beforeEach(() => localStorage.clear());

  it('has a Chinese text for every English key, and no extra ones', () => {
    expect(Object.keys(ZH).sort()).toEqual(Object.keys(EN).sort());
    for (const [key, text] of Object.entries(ZH)) expect(text.trim(), key).not.toBe('');
  });

  it('keeps the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(EN) as Array<keyof typeof EN>) {
      expect(placeholders(ZH[key]), key).toEqual(placeholders(EN[key]));
    }
  });

  it('switches language at run time, fills placeholders and remembers the choice', () => {
    const i18n = TestBed.inject(I18nService);
    i18n.lang.set('en');
    expect(i18n.t('nav.logs')).toBe('Request logs');
    expect(i18n.t('logs.page', { n: 3 })).toBe('Page 3');
    i18n.lang.set('zh-CN');
    expect(i18n.t('nav.logs')).toBe('请求日志');
    expect(i18n.t('logs.page', { n: 3 })).toBe('第 3 页');
    TestBed.tick();
    expect(localStorage.getItem('mr.lang')).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});
