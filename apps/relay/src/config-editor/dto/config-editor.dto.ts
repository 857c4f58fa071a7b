import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

/** Upper bound of a config file sent by the editor (1 MiB). */
const MAX_YAML = 1024 * 1024;

/** `POST /api/config/validate`. */
export class ValidateConfigDto {
  @ApiProperty({
    description: 'The whole config.yml text; masked secrets (********) stand for the saved ones',
  })
  @IsString()
  @MaxLength(MAX_YAML)
  yaml!: string;
}

/** `PUT /api/config`. */
export class SaveConfigDto extends ValidateConfigDto {
  @ApiPropertyOptional({
    description: 'The `hash` of the text the edit started from: 409 when the file changed since',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  baseHash?: string;
}

export class ConfigProblemDto {
  @ApiProperty({ description: 'Key path such as `providers.openai.keys[0].key`; empty for the document' })
  path!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: Number, nullable: true, description: '1-based line in the submitted text' })
  line!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '1-based column' })
  column!: number | null;
}

export class ConfigCheckDto {
  @ApiProperty()
  valid!: boolean;

  @ApiProperty({ type: [ConfigProblemDto] })
  errors!: ConfigProblemDto[];

  @ApiProperty({
    type: [ConfigProblemDto],
    description: 'Unknown keys, dangling references: saving is allowed',
  })
  warnings!: ConfigProblemDto[];
}

export class ConfigViewDto {
  @ApiProperty({ description: 'The editable text, every secret replaced by ********' })
  yaml!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The file it came from; null = built-in defaults',
  })
  path!: string | null;

  @ApiProperty({ enum: ['override', 'main', 'defaults'] })
  source!: 'override' | 'main' | 'defaults';

  @ApiProperty({ description: 'Where a save writes: <dataDir>/config.yml' })
  savePath!: string;

  @ApiProperty({ description: 'sha256 of the file on disk: send as baseHash when saving' })
  hash!: string;
}

export class ConfigSavedDto extends ConfigViewDto {
  @ApiProperty({ type: [ConfigProblemDto] })
  warnings!: ConfigProblemDto[];
}

export class ConfigRejectedDto {
  @ApiProperty({
    example: { message: 'invalid configuration', type: 'invalid_request_error', code: 'invalid_config' },
  })
  error!: object;

  @ApiProperty({ type: [ConfigProblemDto] })
  errors!: ConfigProblemDto[];
}

/** Each segment a key name (1-200 characters) or a list index. */
const IsKeyPath = () =>
  ValidateBy({
    name: 'isKeyPath',
    validator: {
      validate: (path: unknown) =>
        Array.isArray(path) &&
        path.every(
          (segment) =>
            (typeof segment === 'string' && segment.length > 0 && segment.length <= 200) ||
            (Number.isInteger(segment) && (segment as number) >= 0 && (segment as number) < 10_000),
        ),
      defaultMessage: () => 'path segments must be key names or list indexes',
    },
  });

export class ConfigPatchOpDto {
  @ApiProperty({
    description: 'Key path, e.g. ["providers", "groq", "keys", 0, "weight"]',
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsKeyPath()
  path!: (string | number)[];

  @ApiPropertyOptional({ description: 'The value to set (any JSON); ******** keeps the saved secret' })
  @ValidateIf((op: ConfigPatchOpDto) => op.remove !== true)
  @IsDefined()
  value?: unknown;

  @ApiPropertyOptional({ description: 'Remove what is at `path` instead of setting a value' })
  @IsOptional()
  @IsBoolean()
  remove?: boolean;
}

/** `PATCH /api/config`. */
export class PatchConfigDto {
  @ApiProperty({ type: [ConfigPatchOpDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ConfigPatchOpDto)
  ops!: ConfigPatchOpDto[];

  @ApiPropertyOptional({ description: 'As for PUT: 409 when the file changed since this hash' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  baseHash?: string;
}
