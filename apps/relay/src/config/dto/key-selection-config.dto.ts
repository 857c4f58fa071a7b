import { EnumField } from './config-fields';

export const KEY_STRATEGIES = ['round-robin', 'random', 'weighted'] as const;

export class KeySelectionConfigDto {
  @EnumField(KEY_STRATEGIES)
  strategy?: string;
}
