import type { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { AuthService } from './auth.service';

/** Calls that must not trigger a refresh: signing in, and the refresh itself. */
const NO_REFRESH = [
  '/api/auth/login',
  '/api/auth/refresh',
  '/api/auth/logout',
  '/api/setup',
  '/api/auth/signup',
];

/** On a 401 from `/api`, refresh the session once and retry; if that fails, go to the sign-in page. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/') || NO_REFRESH.some((path) => request.url.startsWith(path))) {
    return next(request);
  }
  const auth = inject(AuthService);
  const router = inject(Router);
  return next(request).pipe(
    catchError((error: HttpErrorResponse) => {
      if (error.status !== 401) return throwError(() => error);
      return from(auth.refresh()).pipe(
        switchMap((refreshed) => {
          if (refreshed) return next(request);
          if (!request.url.startsWith('/api/auth/me')) void router.navigateByUrl('/login');
          return throwError(() => error);
        }),
      );
    }),
  );
};
