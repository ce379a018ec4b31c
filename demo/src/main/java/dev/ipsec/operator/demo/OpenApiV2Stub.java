package dev.ipsec.operator.demo;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * {@code /openapi/v2} as a valid document without models. kubectl before 1.27 (Debian 12 ships
 * 1.20) validates {@code apply} on the client from this document, in protobuf; a kind it finds no
 * model for is not checked there, and this server's admission checks it instead. An empty protobuf
 * message is a valid empty {@code openapi_v2.Document}, so no protobuf library is needed. Newer
 * kubectl reads {@code /openapi/v3} (OpenApiDocuments) and does not come here.
 */
final class OpenApiV2Stub {
  static final String PATH = "/openapi/v2";
  private static final String PROTOBUF =
      "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

  private OpenApiV2Stub() {}

  static MockResponse response(String accept) {
    if (accept != null && accept.contains("protobuf")) {
      return new MockResponse()
          .setResponseCode(200)
          .addHeader("Content-Type", PROTOBUF)
          .setBody(new byte[0]);
    }
    return new MockResponse()
        .setResponseCode(200)
        .addHeader("Content-Type", "application/json")
        .setBody(
            "{\"swagger\":\"2.0\",\"info\":{\"title\":\"Kubernetes\",\"version\":\"unversioned\"},"
                + "\"paths\":{},\"definitions\":{}}");
  }
}
