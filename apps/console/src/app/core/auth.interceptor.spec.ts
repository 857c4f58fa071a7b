import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';

describe('authInterceptor (401 -> /api/auth/refresh -> retry)', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let navigations: string[];

  beforeEach(() => {
    navigations = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: Router, useValue: { navigateByUrl: (url: string) => navigations.push(url) } },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('refreshes the session once for concurrent 401s and retries each request', async () => {
    const keys = firstValueFrom(http.get<string[]>('/api/keys'));
    const users = firstValueFrom(http.get<string[]>('/api/users'));
    backend.expectOne('/api/keys').flush({}, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/users').flush({}, { status: 401, statusText: 'Unauthorized' });
    await tick();
    backend.expectOne('/api/auth/refresh').flush({});
    await tick();
    backend.expectOne('/api/keys').flush(['k']);
    backend.expectOne('/api/users').flush(['u']);
    expect(await keys).toEqual(['k']);
    expect(await users).toEqual(['u']);
    backend.verify();
    expect(navigations).toEqual([]);
  });

  it('goes to the sign-in page when the refresh is refused', async () => {
    const keys = firstValueFrom(http.get('/api/keys'));
    backend.expectOne('/api/keys').flush({}, { status: 401, statusText: 'Unauthorized' });
    await tick();
    backend.expectOne('/api/auth/refresh').flush({}, { status: 401, statusText: 'Unauthorized' });
    await expect(keys).rejects.toMatchObject({ status: 401 });
    expect(navigations).toEqual(['/login']);
    backend.verify();
  });

  it('leaves other errors and the sign-in call itself alone', async () => {
    const login = firstValueFrom(http.post('/api/auth/login', {}));
    backend.expectOne('/api/auth/login').flush({}, { status: 401, statusText: 'Unauthorized' });
    await expect(login).rejects.toMatchObject({ status: 401 });
    const stats = firstValueFrom(http.get('/api/stats'));
    backend.expectOne('/api/stats').flush({}, { status: 500, statusText: 'Server Error' });
    await expect(stats).rejects.toMatchObject({ status: 500 });
    backend.verify();
  });
});
