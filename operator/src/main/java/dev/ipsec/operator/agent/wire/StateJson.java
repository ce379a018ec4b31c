package dev.ipsec.operator.agent.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON form of {@link StateSnapshot}: instants as ISO-8601 strings, maps in key order. */
public final class StateJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private StateJson() {}

  /** A mapper configured for snapshots; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
