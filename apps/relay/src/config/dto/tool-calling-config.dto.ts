import { BooleanField, StringListField } from './config-fields';

export class ToolCallingConfigDto {
  @BooleanField()
  auto_downgrade?: boolean;

  @StringListField()
  unsupported_models?: string[];
}
