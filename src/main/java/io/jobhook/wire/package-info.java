/**
 * The CI wire documents every transport sends: TaskFinish and WorkflowFinish as the callback page
 * shows them (element names, order, time format), and the tree that writes them as XML or JSON. The
 * domain reaches them through small ports ({@code TaskFinishBodies}, {@code WorkflowFinishBodies}),
 * so that a new transport or event reuses them.
 */
package io.jobhook.wire;
