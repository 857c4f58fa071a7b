import passport from 'passport';

/**
 * The passport instance of the SSO strategies: our own, not the process-wide default one, so
 * nothing else registered there can shadow them. The strategies register under their names
 * (`github`, `google`) as they are (re)built from the configuration; a sign-in runs the instance
 * built for the configuration in force (see `SsoStrategies`).
 */
export const ssoPassport = new passport.Passport();

/** The User-Agent of our calls to the providers (GitHub refuses API calls without one). */
export const SSO_USER_AGENT = 'MonoRelay-SSO';
