import { ApiProperty } from '@nestjs/swagger';

class ServerSettingsDto {
  @ApiProperty() publicHost!: string;
  @ApiProperty({ type: [String] }) corsOrigins!: string[];
  @ApiProperty() logLevel!: string;
  @ApiProperty() accessKeyEnabled!: boolean;
}

class SsoSettingsDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty() githubClientId!: string;
  @ApiProperty({ description: 'Whether a GitHub client secret is configured (never the secret)' })
  githubClientSecretSet!: boolean;
  @ApiProperty() googleClientId!: string;
  @ApiProperty({ description: 'Whether a Google client secret is configured (never the secret)' })
  googleClientSecretSet!: boolean;
  @ApiProperty({ type: [String] }) adminUsernames!: string[];
  @ApiProperty() ssoOnly!: boolean;
  @ApiProperty({ type: [String] }) allowedGithubOrgs!: string[];
  @ApiProperty({ type: [String] }) allowedGoogleDomains!: string[];
}

class KeySelectionDto {
  @ApiProperty({ enum: ['round-robin', 'random', 'weighted'] }) strategy!: string;
}

class ToolCallingDto {
  @ApiProperty() autoDowngrade!: boolean;
  @ApiProperty({ type: [String] }) unsupportedModels!: string[];
}

class LoggingSettingsDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty() maxAgeDays!: number;
  @ApiProperty() contentPreviewLength!: number;
}

class AuthSettingsDto {
  @ApiProperty() openSignup!: boolean;
  @ApiProperty({ type: [String] }) allowedEmailDomains!: string[];
}

export class SettingsViewDto {
  @ApiProperty({ type: ServerSettingsDto }) server!: ServerSettingsDto;
  @ApiProperty({ type: SsoSettingsDto }) sso!: SsoSettingsDto;
  @ApiProperty({ type: KeySelectionDto }) keySelection!: KeySelectionDto;
  @ApiProperty({ type: ToolCallingDto }) toolCalling!: ToolCallingDto;
  @ApiProperty({ type: LoggingSettingsDto }) logging!: LoggingSettingsDto;
  @ApiProperty({ type: AuthSettingsDto }) auth!: AuthSettingsDto;
}
