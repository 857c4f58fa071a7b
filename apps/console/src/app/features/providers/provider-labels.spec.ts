import { TestBed } from '@angular/core/testing';
import { I18nService } from '../../core/i18n/i18n.service';
import { parseList, recoveryText } from './provider-labels';

describe('recoveryText', () => {
  const NOW = 1_800_000_000_000;

  it('counts whole seconds up, then minutes and hours, in the chosen language', () => {
    const i18n = TestBed.inject(I18nService);
    i18n.lang.set('en');
    expect(recoveryText(NOW + 23_000, NOW, i18n.t)).toBe('back in 23 s');
    expect(recoveryText(NOW + 22_100, NOW, i18n.t)).toBe('back in 23 s');
    expect(recoveryText(NOW + 125_000, NOW, i18n.t)).toBe('back in 2 min 5 s');
    expect(recoveryText(NOW + 3_780_000, NOW, i18n.t)).toBe('back in 1 h 3 min');
    expect(recoveryText(NOW - 500, NOW, i18n.t)).toBe('back any moment');
    i18n.lang.set('zh-CN');
    expect(recoveryText(NOW + 23_000, NOW, i18n.t)).toBe('23 秒后恢复');
  });
});

describe('parseList', () => {
  it('reads one entry per line or comma-separated, without blanks', () => {
    expect(parseList(' gpt-4o ,\n\nclaude-*\n,o1 ')).toEqual(['gpt-4o', 'claude-*', 'o1']);
  });
});
