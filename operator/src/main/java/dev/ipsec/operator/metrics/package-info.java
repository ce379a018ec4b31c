/**
 * The meters every process of the jar exports next to its own, on the operator's and the agents'
 * {@code /metrics}: JVM and process metrics and the build information (Micrometer and {@code
 * version} only).
 */
package dev.ipsec.operator.metrics;
