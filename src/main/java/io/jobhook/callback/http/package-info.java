/**
 * The URL transport: HTTP/1.1 over pooled blocking sockets on virtual threads, behind an SSRF
 * address guard; the socket connects to the very address the guard checked.
 */
package io.jobhook.callback.http;
