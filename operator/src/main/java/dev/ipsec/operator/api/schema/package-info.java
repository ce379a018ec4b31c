/**
 * Offline checks of resources against the generated CRDs, as the API server would do them:
 * structural schema (types, enums, ranges, patterns, required fields, unknown fields), defaulting,
 * and the CEL {@code x-kubernetes-validations} rules. Used by {@code ipsec-operator validate} and
 * by the tests that keep examples and CRDs honest.
 */
package dev.ipsec.operator.api.schema;
