/**
 * Templates: named, stored settings for one job kind (CI's {@code /template}), per bucket. Jobs and
 * workflow nodes name one with TemplateId; the job feature finds it through its {@code
 * JobTemplates} port, which this package implements. No SQL, no HTTP.
 */
package io.jobhook.template;
