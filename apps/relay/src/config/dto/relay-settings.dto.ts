import { isIP } from 'node:net';
import { type Rule, listRule, stringRule } from './config-rules';
import { IntField, NumberField, StringField } from './config-fields';

const proxyAddressRule: Rule = (value) => {
  const problems = stringRule(value);
  if (problems.length > 0) return problems;
  const [address, bits, extra] = (value as string).split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  const bitsValid = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
  if (family !== 0 && bitsValid && extra === undefined) return [];
  return [{ message: 'must be an IP address or a CIDR range such as 10.0.0.0/8' }];
};

export class RelaySettingsDto {
  @IntField({ min: 1 })
  max_body_bytes?: number;

  @IntField({ min: 1 })
  max_upload_bytes?: number;

  @NumberField({ min: 0 })
  shutdown_grace_seconds?: number;

  @IntField({ min: 1 })
  max_attempts?: number;

  @NumberField({ above: 0 })
  key_probe_interval_seconds?: number;

  @StringField(listRule(proxyAddressRule, 'addresses'))
  trusted_proxies?: string[];
}
