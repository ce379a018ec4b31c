/**
 * The version of this build, from a resource Maven filters ({@code version.properties}): the same
 * in the classes, the operator jar and the demo's classpath. JDK only, so that every package may
 * name the version (the command line, the operator's User-Agent, metrics).
 */
package dev.ipsec.operator.version;
