import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import type { RuntimeOptions } from '../runtime-options';
import { ApiError } from './api-error';
import { AppDataService } from './app-data.service';
import { PasswordService } from './password.service';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

/** Just enough of the app to manage accounts: configuration, the databases, the user services. */
@Module({})
class AdminCommandModule {
  static forRoot(options: RuntimeOptions): DynamicModule {
    return {
      module: AdminCommandModule,
      imports: [ConfigModule.forRoot(options), DatabaseModule],
      providers: [AppDataService, PasswordService, SessionsService, UsersService],
    };
  }
}

export const ADMIN_PASSWORD_ENV = 'MONORELAY_ADMIN_PASSWORD';

export interface CommandOutput {
  log(message: string): void;
  error(message: string): void;
}

/**
 * `--create-admin USERNAME`: creates a superadmin when none exists (a fresh install, or one whose
 * only accounts came from SSO). `--reset-password USERNAME`: sets an account's password and ends
 * its sessions (the way back in for an owner who lost theirs). The password comes from
 * `$MONORELAY_ADMIN_PASSWORD`, never the command line (shell history, `ps`). Works with
 * `sso.sso_only` too. Returns the exit code: 0 done, 1 refused, 2 no password given.
 */
export async function runAdminCommand(
  options: RuntimeOptions,
  out: CommandOutput = console,
): Promise<number> {
  const command = options.adminCommand;
  if (!command) throw new Error('no admin command');
  const password = options.env[ADMIN_PASSWORD_ENV];
  if (!password) {
    out.error(
      `${command.action === 'create-admin' ? '--create-admin' : '--reset-password'} needs the password in ` +
        `$${ADMIN_PASSWORD_ENV} (not on the command line, where shell history and ps would keep it).`,
    );
    return 2;
  }
  const app = await NestFactory.createApplicationContext(
    AdminCommandModule.forRoot({ ...options, watchConfig: false }),
    { logger: ['error', 'warn'], abortOnError: false },
  );
  try {
    const users = app.get(UsersService);
    if (command.action === 'create-admin') {
      const user = await users.createSuperadminIfNone({ username: command.username, password });
      out.log(`Created superadmin ${user.username} (id ${user.id}). Sign in to the console with it.`);
      return 0;
    }
    const user = await users.findByUsername(command.username);
    if (!user) {
      out.error(`No account named ${command.username}.`);
      return 1;
    }
    await users.setPassword(user, password);
    out.log(
      `Set the password of ${user.username} (${user.role}${user.disabled ? ', disabled' : ''}); its sessions ended.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ApiError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}
