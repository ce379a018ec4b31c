/**
 * The contract of a gateway's configuration volume: which files one revision consists of, with the
 * SHA-256 of each ({@link dev.ipsec.operator.manifest.ConfigManifest}), as a tree of depth two: the
 * root manifests list the shards' own manifests, each of which lists its shard's files. The
 * operator writes them next to the files it renders; the agent loads a revision only when every
 * listed file is present with its digest, and nothing that is not listed.
 *
 * <p>Plain data and JSON: both the operator and the agent (which runs without Kubernetes) use it,
 * so nothing here may depend on Kubernetes or on another package of the project.
 */
package dev.ipsec.operator.manifest;
