/**
 * The HTTP edge: routing by Host, q-sign verification, CI request parsing and response documents,
 * and the one place where failures become CI <Error> bodies. May touch every domain package;
 * nothing imports it but the wiring.
 */
package io.jobhook.api;
