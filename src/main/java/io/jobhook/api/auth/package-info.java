/** The q-sign (COS signature v5) algorithm and its verification. Pure Java; no HTTP types. */
package io.jobhook.api.auth;
