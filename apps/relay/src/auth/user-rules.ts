import type { Role } from './roles';

/** Who is managing accounts: a signed-in user, or the access key holding a role (no user). */
export interface Actor {
  userId: string | null;
  role: Role;
}

export interface UserChange {
  role?: Role;
  disabled?: boolean;
  email?: string | null;
  displayName?: string;
}

export interface RuleBreach {
  status: 403 | 409;
  code: string;
  message: string;
}

/**
 * Whether `actor` may make `change` to the account `target`. Rules:
 * - nobody changes their own role or disables themselves;
 * - only a superadmin manages admins and superadmins: grants or revokes those roles, disables or
 *   edits such an account (an admin manages `user` accounts, and edits their own name and e-mail);
 * - at least one enabled superadmin remains (`enabledSuperadmins` counts them, target included).
 */
export function userChangeBreach(
  actor: Actor,
  target: { id: string; role: Role; disabled: boolean },
  change: UserChange,
  enabledSuperadmins: number,
): RuleBreach | null {
  const self = actor.userId !== null && actor.userId === target.id;
  const roleChanges = change.role !== undefined && change.role !== target.role;
  const disables = change.disabled === true && !target.disabled;
  if (self && roleChanges) return forbidden('self_change', 'You cannot change your own role.');
  if (self && change.disabled === true)
    return forbidden('self_change', 'You cannot disable your own account.');
  if (actor.role !== 'superadmin') {
    if (!self && target.role !== 'user')
      return forbidden('superadmin_only', 'Only a superadmin can change an admin or superadmin account.');
    if (roleChanges && change.role !== 'user')
      return forbidden('superadmin_only', `Only a superadmin can grant the ${change.role} role.`);
  }
  const losesSuperadmin = target.role === 'superadmin' && !target.disabled && (disables || roleChanges);
  if (losesSuperadmin && enabledSuperadmins <= 1)
    return {
      status: 409,
      code: 'last_superadmin',
      message: 'At least one enabled superadmin must remain: make another superadmin first.',
    };
  return null;
}

/** Whether `actor` may set the password of `target` without knowing the current one. */
export function passwordResetBreach(actor: Actor, target: { id: string; role: Role }): RuleBreach | null {
  if (actor.userId !== null && actor.userId === target.id)
    return forbidden('self_change', 'Change your own password with POST /api/auth/password.');
  if (actor.role !== 'superadmin' && target.role !== 'user')
    return forbidden(
      'superadmin_only',
      'Only a superadmin can reset the password of an admin or superadmin.',
    );
  return null;
}

/** Whether `actor` may create an account (or an invite) with `role`. */
export function grantBreach(actor: Actor, role: Role): RuleBreach | null {
  if (role !== 'user' && actor.role !== 'superadmin')
    return forbidden('superadmin_only', `Only a superadmin can grant the ${role} role.`);
  return null;
}

function forbidden(code: string, message: string): RuleBreach {
  return { status: 403, code, message };
}
