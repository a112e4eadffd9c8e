/**
 * The one JDBC implementation of every storage port, with a Dialect for SQLite and PostgreSQL, and
 * the Flyway migrations.
 */
package io.jobhook.storage;
