import type { Routes } from '@angular/router';
import { adminGuard, signedInGuard } from './core/auth.guards';
import { ShellComponent } from './shell/shell.component';

export const routes: Routes = [
  {
    path: 'login',
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: 'signup',
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
    data: { mode: 'signup' },
  },
  {
    path: '',
    component: ShellComponent,
    canActivate: [signedInGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        loadComponent: () =>
          import('./features/dashboard/dashboard.component').then((m) => m.DashboardComponent),
      },
      {
        path: 'logs',
        loadComponent: () => import('./features/logs/logs.component').then((m) => m.LogsComponent),
      },
      {
        path: 'keys',
        loadComponent: () => import('./features/keys/keys.component').then((m) => m.KeysComponent),
      },
      {
        path: 'account',
        loadComponent: () => import('./features/account/account.component').then((m) => m.AccountComponent),
      },
      {
        path: 'users',
        canActivate: [adminGuard],
        loadComponent: () => import('./features/users/users.component').then((m) => m.UsersComponent),
      },
      {
        path: 'providers',
        canActivate: [adminGuard],
        loadComponent: () =>
          import('./features/providers/providers-list.component').then((m) => m.ProvidersListComponent),
      },
      {
        path: 'providers/:name',
        canActivate: [adminGuard],
        loadComponent: () =>
          import('./features/providers/provider-detail.component').then((m) => m.ProviderDetailComponent),
      },
      {
        path: 'config',
        canActivate: [adminGuard],
        loadComponent: () => import('./features/config/config.component').then((m) => m.ConfigComponent),
      },
      {
        path: 'routing',
        canActivate: [adminGuard],
        loadComponent: () => import('./features/routing/routing.component').then((m) => m.RoutingComponent),
      },
      {
        path: 'settings',
        canActivate: [adminGuard],
        loadComponent: () =>
          import('./features/settings/settings.component').then((m) => m.SettingsComponent),
      },
    ],
  },
  { path: '**', redirectTo: 'dashboard' },
];
