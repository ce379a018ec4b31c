/**
 * The {@code ipsec.dev/v1alpha1} API: IkeGroup, EspGroup, IpsecPeer and IpsecGlobal.
 *
 * <p>Field names are camelCase forms of the VyOS {@code vpn ipsec} options and defaults are the
 * VyOS defaults. The CRDs in {@code crds/} are generated from these classes: the annotations here
 * (descriptions, enums, ranges, patterns and CEL rules) are the schema users see in {@code kubectl
 * explain} and that the API server enforces. Secrets are only ever referenced, never inlined.
 */
package dev.ipsec.operator.api.v1alpha1;
