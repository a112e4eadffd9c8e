/**
 * Command-line and environment configuration, validated once at start-up, and where credentials
 * come from.
 */
package io.jobhook.config;
