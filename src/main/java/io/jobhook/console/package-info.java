/**
 * The operator console at {@code /console/}: server-rendered pages behind a sign-in with an access
 * key, a server-side session and a CSRF token on every form; live updates pushed with server-sent
 * events; no script or style from anywhere but the page itself. An edge, like {@code api}: it calls
 * the same services.
 */
package io.jobhook.console;
