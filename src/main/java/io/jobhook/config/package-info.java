/**
 * Configuration: the command line and environment, read and validated once at start-up into one
 * record per feature (api, storage, jobs, callbacks, workflows), each tunable named with its
 * default; and where credentials come from.
 */
package io.jobhook.config;
