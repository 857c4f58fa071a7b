import 'reflect-metadata';
import { Transform, Type, plainToInstance } from 'class-transformer';
import { IsOptional, ValidateBy, ValidateNested } from 'class-validator';
import {
  type NumberRange,
  type Rule,
  booleanRule,
  coerceBoolean,
  coerceNumber,
  isPlainMapping,
  listOfObjectsRule,
  listRule,
  mapOfObjectsRule,
  mappingRule,
  numberRule,
  objectRule,
  oneOfRule,
  requiredRule,
  stringRule,
} from './config-rules';

/**
 * Property decorators for the config DTOs. Every field is optional (defaults fill the gaps) unless
 * marked required, and carries exactly one rule; the rule travels in the constraint's context so the
 * error collector can ask it for per-entry paths.
 */
export const RULE_CONSTRAINT = 'configRule';

export interface RuleContext {
  rule: Rule;
}

type Ctor<T> = new () => T;

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };
}

/** Applies `rule` to the property; `required` makes a missing value an error. */
export function Checked(rule: Rule, options: { required?: boolean } = {}): PropertyDecorator {
  const effective = options.required ? requiredRule(rule) : rule;
  const context: RuleContext = { rule: effective };
  const check = ValidateBy(
    {
      name: RULE_CONSTRAINT,
      validator: {
        validate: (value: unknown) => effective(value).length === 0,
        defaultMessage: () => 'is invalid',
      },
    },
    { context },
  );
  return options.required ? check : compose(IsOptional(), check);
}

const coerce = (fn: (value: unknown) => unknown): PropertyDecorator =>
  Transform(({ value }) => fn(value), { toClassOnly: true });

export const StringField = (rule: Rule = stringRule, options: { required?: boolean } = {}) =>
  Checked(rule, options);

export const NumberField = (range: NumberRange) => compose(coerce(coerceNumber), Checked(numberRule(range)));

export const IntField = (range: Omit<NumberRange, 'integer'>) => NumberField({ ...range, integer: true });

export const BooleanField = () => compose(coerce(coerceBoolean), Checked(booleanRule));

export const EnumField = (values: readonly string[], options: { ignoreCase?: boolean } = {}) =>
  Checked(oneOfRule(values, options));

export const StringListField = () => Checked(listRule(stringRule, 'strings'));

export const IntListField = (range: Omit<NumberRange, 'integer'>) =>
  compose(
    coerce((value) => (Array.isArray(value) ? value.map(coerceNumber) : value)),
    Checked(listRule(numberRule({ ...range, integer: true }), 'integers')),
  );

/** name -> string mapping (headers, aliases, glob -> provider). */
export const StringMapField = (what = 'names to strings') => Checked(mappingRule(stringRule, what));

/** A free-form mapping whose content is passed through (body params, metadata). */
export const MappingField = (what = 'settings') => Checked(mappingRule(undefined, what));

/** A free-form list whose content is passed through. */
export const AnyListField = () => Checked(listRule(() => [], 'values'));

/** A nested block validated by its own DTO. */
export function BlockField<T>(type: () => Ctor<T>): PropertyDecorator {
  return compose(Type(type), Checked(objectRule), ValidateNested());
}

/**
 * A list of blocks. `shorthand` turns a plain string entry into the block it stands for
 * (`keys: ["sk-..."]` means `keys: [{key: "sk-..."}]`).
 */
export function ListField<T>(
  type: () => Ctor<T>,
  what: string,
  shorthand?: (text: string) => Record<string, unknown>,
): PropertyDecorator {
  const expandShorthand = Transform(
    ({ value, obj, key }) => {
      const raw: unknown = (obj as Record<string, unknown>)[key];
      if (!shorthand || !Array.isArray(raw)) return value;
      return raw.map((entry: unknown) => {
        if (typeof entry === 'string') return plainToInstance(type(), shorthand(entry));
        return isPlainMapping(entry) ? plainToInstance(type(), entry) : entry;
      });
    },
    { toClassOnly: true },
  );
  const hint = shorthand ? 'must be a mapping or a string' : 'must be a mapping';
  return compose(Type(type), expandShorthand, Checked(listOfObjectsRule(what, hint)), ValidateNested());
}

/** name -> block mapping (providers). class-transformer turns it into a Map of DTOs. */
export function MapField<T>(type: () => Ctor<T>, what: string): PropertyDecorator {
  return compose(Type(type), Checked(mapOfObjectsRule(what)), ValidateNested());
}
