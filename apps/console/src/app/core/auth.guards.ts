import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

export const signedInGuard: CanActivateFn = async () => {
  const router = inject(Router);
  const me = await inject(AuthService).load();
  return me ? true : router.parseUrl('/login');
};

export const adminGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  await auth.load();
  return auth.isAdmin() ? true : inject(Router).parseUrl('/dashboard');
};
