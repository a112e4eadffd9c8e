/**
 * The HTTP edge: routing by Host, q-sign verification, CI request parsing and response documents,
 * and the one place where failures become CI <Error> bodies. It calls the domain services and holds
 * no business rule of its own. Imported by the composition root, and by config for the values it
 * reads into ({@code HttpLimits}, {@code Credentials}).
 */
package io.jobhook.api;
