/**
 * The URL transport: Jetty's HTTP client behind an SSRF address guard that checks the very address
 * it connects to.
 */
package io.jobhook.callback.http;
