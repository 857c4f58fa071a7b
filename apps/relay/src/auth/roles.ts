import { SetMetadata } from '@nestjs/common';

export type Role = 'superadmin' | 'admin' | 'user';
export const ROLES: readonly Role[] = ['superadmin', 'admin', 'user'];

/** Who may call an `/api` route: anyone, or a signed-in principal holding at least this role. */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { user: 1, admin: 2, superadmin: 3 };

export function roleAtLeast(role: Role | null, needed: Role): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}

export const ACCESS_METADATA = 'monorelay:access';

/**
 * Declares who may call an `/api` route (on the handler or its controller). Every `/api` route
 * must declare one; the API guard refuses routes that do not.
 */
export const RequireAccess = (access: Access) => SetMetadata(ACCESS_METADATA, access);
