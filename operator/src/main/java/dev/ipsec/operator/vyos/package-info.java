/**
 * Reading VyOS {@code set vpn ipsec ...} configuration, as {@code show configuration commands}
 * prints it, into this project's resources. Kubernetes-free: it builds the {@code api.v1alpha1}
 * beans and plain Secret data, and never talks to a cluster.
 */
package dev.ipsec.operator.vyos;
