/**
 * The log backend (Logback) set up from the command line: levels per logger, plain or JSON lines.
 * Everything else logs through SLF4J and never sees the backend.
 */
package io.jobhook.logging;
