import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { ConfigService } from '../config/config.service';
import { badRequest } from './api-error';
import { passwordProblem } from './password-rules';

/**
 * argon2id hashing (the library's defaults are OWASP's recommendation: 19 MiB, 2 passes, 1 lane) and
 * the password rules of `auth.password_min_length`.
 */
@Injectable()
export class PasswordService {
  /** A hash of a random password, verified against when the account is unknown or has no password. */
  private readonly dummy: Promise<string>;

  constructor(private readonly config: ConfigService) {
    // Made at start-up (on the thread pool), so the first unknown user does not take twice as long.
    this.dummy = hash(randomBytes(16).toString('base64url'));
  }

  /** Throws a 400 naming the rule the password breaks. */
  assertAcceptable(password: string, username: string): void {
    const problem = passwordProblem(password, username, this.config.current.auth.password_min_length);
    if (problem) throw badRequest(problem, 'weak_password');
  }

  hash(password: string): Promise<string> {
    return hash(password);
  }

  /**
   * Whether `password` matches `passwordHash`. With no hash (unknown user, SSO-only account) it still
   * runs one argon2 verification, so the answer takes as long either way and reveals nothing.
   */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (passwordHash === null) {
      await verify(await this.dummy, password).catch(() => false);
      return false;
    }
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }
}
