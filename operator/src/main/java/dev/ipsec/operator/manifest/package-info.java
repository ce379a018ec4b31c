/**
 * The contract of a gateway's configuration volume: which files one revision consists of, with the
 * SHA-256 of each ({@link dev.ipsec.operator.manifest.ConfigManifest}). The operator writes it next
 * to the files it renders; the agent loads a revision only when every listed file is present with
 * its digest, and nothing that is not listed.
 *
 * <p>Plain data and JSON: both the operator and the agent (which runs without Kubernetes) use it,
 * so nothing here may depend on Kubernetes or on another package of the project.
 */
package dev.ipsec.operator.manifest;
